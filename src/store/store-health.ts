import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from './schema.js';
import { isMigrated } from './migrate.js';
import { describeFault, storeFaultOf, type StoreFault } from './store-faults.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * What /ready reports: the store answers, every migration is applied, and, once a write has failed
 * for lack of space or permission, a real write succeeds again.
 */
export class StoreHealth {
  #writeFailure: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Called for every store fault a request hit. */
  noteFault(fault: StoreFault, error: unknown): void {
    if (fault !== 'unreachable') this.#writeFailure = describeFault(error);
  }

  async check(): Promise<Readiness> {
    try {
      await sql`select 1`.execute(this.db);
      if (!(await isMigrated(this.db))) return { ready: false, reason: 'migrations are not all applied' };
    } catch (error) {
      return { ready: false, reason: `the store does not answer (${describeFault(error)})` };
    }
    if (this.#writeFailure === undefined) return { ready: true };
    try {
      await this.db.updateTable('server_key_check').set({ probed_at: this.clock.now().toISOString() }).where('id', '=', 1).execute();
      this.#writeFailure = undefined;
      return { ready: true };
    } catch (error) {
      if (storeFaultOf(error) !== undefined) this.#writeFailure = describeFault(error);
      return { ready: false, reason: `the store cannot write (${this.#writeFailure ?? describeFault(error)})` };
    }
  }
}
