import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** Deletes, inside the purge's transaction, what another area keeps about the databases being purged. */
export type DependentPurge = (trx: Kysely<Database>, databaseIds: readonly string[]) => Promise<void>;

const BATCH = 200;

/**
 * Removes databases terminated before a cutoff, with everything kept about them: their own rows here,
 * and through `dependents`, the rows other areas keep. Each batch goes in one transaction.
 */
export class DatabasePurge {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dependents: DependentPurge[],
  ) {}

  /** Returns how many databases were purged. */
  async terminatedBefore(cutoff: string): Promise<number> {
    let purged = 0;
    for (;;) {
      const batch = await this.db.transaction().execute(async (trx) => {
        const ids = (
          await trx
            .selectFrom('databases')
            .select('id')
            .where('status', '=', 'TERMINATED')
            .where('terminated_at', '<', cutoff)
            .limit(BATCH)
            .execute()
        ).map((row) => row.id);
        if (ids.length === 0) return 0;
        for (const purge of this.dependents) await purge(trx, ids);
        await trx.deleteFrom('lifecycle_jobs').where('database_id', 'in', ids).execute();
        await trx.deleteFrom('database_users').where('database_id', 'in', ids).execute();
        await trx.deleteFrom('datacenters').where('database_id', 'in', ids).execute();
        await trx.deleteFrom('databases').where('id', 'in', ids).execute();
        return ids.length;
      });
      purged += batch;
      if (batch < BATCH) return purged;
    }
  }
}
