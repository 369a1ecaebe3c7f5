import type { Kysely } from 'kysely';
import type { AclEntry } from '../security/address-list.js';
import type { Database } from '../store/schema.js';

export interface DatabaseAccessList {
  databaseId: string;
  orgId: string;
  /** False also when the database has no list at all. */
  enabled: boolean;
  /** Whether a list has been made for the database. */
  exists: boolean;
  entries: AclEntry[];
}

export class AccessListStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(orgId: string, databaseId: string): Promise<DatabaseAccessList> {
    const list = await this.db
      .selectFrom('database_access_lists')
      .selectAll()
      .where('database_id', '=', databaseId)
      .executeTakeFirst();
    if (!list) return { databaseId, orgId, enabled: false, exists: false, entries: [] };
    const rows = await this.db
      .selectFrom('database_access_list_entries')
      .selectAll()
      .where('database_id', '=', databaseId)
      .orderBy('address')
      .execute();
    return {
      databaseId,
      orgId,
      enabled: list.enabled === 1,
      exists: true,
      entries: rows.map((r) => ({
        address: r.address,
        description: r.description,
        enabled: r.enabled === 1,
        updatedAt: r.updated_at,
      })),
    };
  }

  /** The organization's databases that have a list, ordered by database id. */
  async databasesWithLists(orgId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('database_access_lists')
      .select('database_id')
      .where('org_id', '=', orgId)
      .orderBy('database_id')
      .execute();
    return rows.map((r) => r.database_id);
  }

  async save(orgId: string, databaseId: string, enabled: boolean, at: string): Promise<void> {
    await this.db
      .insertInto('database_access_lists')
      .values({ database_id: databaseId, org_id: orgId, enabled: enabled ? 1 : 0, updated_at: at })
      .onConflict((oc) => oc.column('database_id').doUpdateSet({ enabled: enabled ? 1 : 0, updated_at: at }))
      .execute();
  }

  async upsertEntries(databaseId: string, entries: readonly AclEntry[]): Promise<void> {
    for (const entry of entries) {
      const values = { description: entry.description, enabled: entry.enabled ? 1 : 0, updated_at: entry.updatedAt };
      await this.db
        .insertInto('database_access_list_entries')
        .values({ database_id: databaseId, address: entry.address, ...values })
        .onConflict((oc) => oc.columns(['database_id', 'address']).doUpdateSet(values))
        .execute();
    }
  }

  /** Removes the given addresses, or every entry when none are given. */
  async removeEntries(databaseId: string, addresses?: readonly string[]): Promise<void> {
    let query = this.db.deleteFrom('database_access_list_entries').where('database_id', '=', databaseId);
    if (addresses) {
      if (addresses.length === 0) return;
      query = query.where('address', 'in', addresses);
    }
    await query.execute();
  }

  /** Deletes the access lists of databases being purged. */
  async deleteForDatabases(databaseIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('database_access_list_entries').where('database_id', 'in', databaseIds).execute();
    await this.db.deleteFrom('database_access_lists').where('database_id', 'in', databaseIds).execute();
  }

  async remove(databaseId: string): Promise<void> {
    await this.removeEntries(databaseId);
    await this.db.deleteFrom('database_access_lists').where('database_id', '=', databaseId).execute();
  }
}
