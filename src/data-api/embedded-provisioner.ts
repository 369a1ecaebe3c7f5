import type { Clock } from '../clock.js';
import type { DatabaseRecord } from '../databases/database-records.js';
import type { ProvisionStep, Provisioner } from '../databases/provisioner.js';
import type { DataPlane } from './data-plane.js';
import { SchemaStore } from './schema-store.js';

/**
 * The embedded data plane behind the lifecycle. The timing (and simulated faults) come from the
 * configured pace; the data work happens when a transition's last step lands: a new database gets
 * its store, keyspaces are created and dropped in it, parking closes it, termination deletes it.
 * Every datacenter of a database serves the one store, and capacity changes need no work here.
 * Each action is idempotent, since a step may run again after a restart.
 */
export class EmbeddedProvisioner implements Provisioner {
  constructor(
    private readonly pace: Provisioner,
    private readonly dataPlane: DataPlane,
    private readonly clock: Clock,
  ) {}

  durationMs(step: ProvisionStep, database: DatabaseRecord): number {
    return this.pace.durationMs(step, database);
  }

  async perform(step: ProvisionStep, database: DatabaseRecord): Promise<string | undefined> {
    const failure = await this.pace.perform(step, database);
    if (failure || !step.last) return failure;
    if (step.target === 'TERMINATED') await this.dataPlane.destroy(database.id);
    else if (step.target === 'PARKED') await this.dataPlane.release(database.id);
    else if (step.target === 'ACTIVE') await this.#activate(step, database);
    return undefined;
  }

  async #activate(step: ProvisionStep, database: DatabaseRecord): Promise<void> {
    const store = await this.dataPlane.store(database.id, database.keyspaces);
    const { addKeyspace, dropKeyspace } = step.effect;
    if (addKeyspace) await new SchemaStore(store).addKeyspace(addKeyspace, this.clock.now().toISOString());
    if (dropKeyspace)
      await store.db.transaction().execute((trx) => new SchemaStore(store, trx).dropKeyspace(dropKeyspace));
  }
}
