import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Dialect } from './database.js';
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
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  /**
   * A write that needs new space in the store, as the writes that failed did: on SQLite, a change
   * appended to the journal; on PostgreSQL, a few fresh pages of a table dropped at commit (an update
   * of an existing row could reuse free space in its page and succeed on a full disk).
   */
  async #probeWrite(): Promise<void> {
    if (this.dialect === 'sqlite') {
      await this.db
        .updateTable('server_key_check')
        .set({ probed_at: this.clock.now().toISOString() })
        .where('id', '=', 1)
        .execute();
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await sql`CREATE TEMP TABLE orrery_write_probe ON COMMIT DROP AS SELECT g FROM generate_series(1, 2000) AS g`.execute(
        trx,
      );
    });
  }

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
      await this.#probeWrite();
      this.#writeFailure = undefined;
      return { ready: true };
    } catch (error) {
      if (storeFaultOf(error) !== undefined) this.#writeFailure = describeFault(error);
      return { ready: false, reason: `the store cannot write (${this.#writeFailure ?? describeFault(error)})` };
    }
  }
}
