import type { Kysely } from 'kysely';
import type { Database, DatabaseTable } from '../store/schema.js';
import { DatacenterStore } from './datacenter-store.js';
import type { DatabaseRecord, DatacenterRecord } from './database-records.js';

function toRecord(row: DatabaseTable, datacenters: DatacenterRecord[]): DatabaseRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    ownerId: row.owner_id,
    name: row.name,
    status: row.status,
    cloudProvider: row.cloud_provider,
    region: row.region,
    tier: row.tier,
    capacityUnits: row.capacity_units,
    dbType: row.db_type,
    keyspace: row.keyspace,
    keyspaces: JSON.parse(row.keyspaces) as string[],
    message: row.message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    terminatedAt: row.terminated_at,
    datacenters,
  };
}

export interface ListQuery {
  orgId: string;
  statuses?: readonly string[];
  excludeStatuses?: readonly string[];
  provider?: string;
  after?: string;
  limit: number;
}

export interface StatusChange {
  to: string;
  keyspaces?: string[];
  capacityUnits?: number;
  message?: string | null;
  terminatedAt?: string;
}

export class DatabaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: DatabaseRecord): Promise<void> {
    await this.db
      .insertInto('databases')
      .values({
        id: record.id,
        org_id: record.orgId,
        owner_id: record.ownerId,
        name: record.name,
        status: record.status,
        cloud_provider: record.cloudProvider,
        region: record.region,
        tier: record.tier,
        capacity_units: record.capacityUnits,
        db_type: record.dbType,
        keyspace: record.keyspace,
        keyspaces: JSON.stringify(record.keyspaces),
        message: record.message,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
        terminated_at: record.terminatedAt,
      })
      .execute();
    for (const datacenter of record.datacenters) await new DatacenterStore(this.db).insert(datacenter);
  }

  async find(orgId: string, id: string): Promise<DatabaseRecord | undefined> {
    const row = await this.db
      .selectFrom('databases')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && (await this.#withDatacenters([row]))[0];
  }

  async findById(id: string): Promise<DatabaseRecord | undefined> {
    const row = await this.db.selectFrom('databases').selectAll().where('id', '=', id).executeTakeFirst();
    return row && (await this.#withDatacenters([row]))[0];
  }

  /** Ordered by id, so that `after` pages stably however the rows change status. */
  async list(query: ListQuery): Promise<DatabaseRecord[]> {
    let select = this.db.selectFrom('databases').selectAll().where('org_id', '=', query.orgId);
    if (query.statuses) select = select.where('status', 'in', query.statuses);
    if (query.excludeStatuses) select = select.where('status', 'not in', query.excludeStatuses);
    if (query.provider) select = select.where('cloud_provider', '=', query.provider);
    if (query.after) select = select.where('id', '>', query.after);
    return this.#withDatacenters(await select.orderBy('id').limit(query.limit).execute());
  }

  async #withDatacenters(rows: DatabaseTable[]): Promise<DatabaseRecord[]> {
    const datacenters = await new DatacenterStore(this.db).forDatabases(rows.map((row) => row.id));
    return rows.map((row) => toRecord(row, datacenters.get(row.id)!));
  }

  /** Moves a database on only if it still has the expected status; true when it did. */
  async changeStatus(id: string, from: readonly string[], change: StatusChange, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('databases')
      .set({
        status: change.to,
        updated_at: at,
        ...(change.keyspaces ? { keyspaces: JSON.stringify(change.keyspaces) } : {}),
        ...(change.capacityUnits !== undefined ? { capacity_units: change.capacityUnits } : {}),
        ...(change.message !== undefined ? { message: change.message } : {}),
        ...(change.terminatedAt ? { terminated_at: change.terminatedAt } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
