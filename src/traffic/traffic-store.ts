import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { LatencyCounts } from './latency-histogram.js';

export interface MinuteRow {
  databaseId: string;
  /** Start of the minute, RFC 3339. */
  minute: string;
  requests: number;
  errors: number;
  latencyCounts: LatencyCounts;
}

/** Every process's per-minute traffic measurements (the traffic_minutes table). */
export class TrafficStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Writes a process's counts for its minutes, replacing what it wrote before for them. */
  async save(processId: string, rows: MinuteRow[]): Promise<void> {
    for (const row of rows) {
      const values = {
        requests: row.requests,
        errors: row.errors,
        latency_counts: JSON.stringify(row.latencyCounts),
      };
      await this.db
        .insertInto('traffic_minutes')
        .values({ database_id: row.databaseId, minute: row.minute, process_id: processId, ...values })
        .onConflict((conflict) => conflict.columns(['database_id', 'minute', 'process_id']).doUpdateSet(values))
        .execute();
    }
  }

  /** Every process's rows for a database from `since` (RFC 3339) on. */
  async since(databaseId: string, since: string): Promise<MinuteRow[]> {
    const rows = await this.db
      .selectFrom('traffic_minutes')
      .selectAll()
      .where('database_id', '=', databaseId)
      .where('minute', '>', since)
      .execute();
    return rows.map((r) => ({
      databaseId: r.database_id,
      minute: r.minute,
      requests: Number(r.requests),
      errors: Number(r.errors),
      latencyCounts: JSON.parse(r.latency_counts) as LatencyCounts,
    }));
  }

  async deleteBefore(minute: string): Promise<void> {
    await this.db.deleteFrom('traffic_minutes').where('minute', '<=', minute).execute();
  }
}
