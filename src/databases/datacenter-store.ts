import type { Kysely } from 'kysely';
import type { Database, DatacenterTable } from '../store/schema.js';
import type { DatacenterRecord } from './database-records.js';

function toRecord(row: DatacenterTable): DatacenterRecord {
  return {
    id: row.id,
    databaseId: row.database_id,
    ordinal: row.ordinal,
    tier: row.tier,
    cloudProvider: row.cloud_provider,
    region: row.region,
    capacityUnits: row.capacity_units,
    status: row.status,
    createdAt: row.created_at,
    terminatedAt: row.terminated_at,
  };
}

export class DatacenterStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(datacenter: DatacenterRecord): Promise<void> {
    await this.db
      .insertInto('datacenters')
      .values({
        id: datacenter.id,
        database_id: datacenter.databaseId,
        ordinal: datacenter.ordinal,
        tier: datacenter.tier,
        cloud_provider: datacenter.cloudProvider,
        region: datacenter.region,
        capacity_units: datacenter.capacityUnits,
        status: datacenter.status,
        created_at: datacenter.createdAt,
        terminated_at: datacenter.terminatedAt,
      })
      .execute();
  }

  /** Every datacenter of the given databases, grouped by database and ordered by ordinal. */
  async forDatabases(databaseIds: readonly string[]): Promise<Map<string, DatacenterRecord[]>> {
    const grouped = new Map<string, DatacenterRecord[]>(databaseIds.map((id) => [id, []]));
    if (databaseIds.length === 0) return grouped;
    const rows = await this.db
      .selectFrom('datacenters')
      .selectAll()
      .where('database_id', 'in', databaseIds)
      .orderBy('database_id')
      .orderBy('ordinal')
      .execute();
    for (const row of rows) grouped.get(row.database_id)!.push(toRecord(row));
    return grouped;
  }

  async setStatus(ids: readonly string[], status: string, at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('datacenters')
      .set({ status, ...(status === 'TERMINATED' ? { terminated_at: at } : {}) })
      .where('id', 'in', ids)
      .execute();
  }

  async setCapacity(databaseId: string, capacityUnits: number): Promise<void> {
    await this.db
      .updateTable('datacenters')
      .set({ capacity_units: capacityUnits })
      .where('database_id', '=', databaseId)
      .execute();
  }
}
