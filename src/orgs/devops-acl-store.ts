import type { Kysely } from 'kysely';
import type { AclEntry } from '../security/address-list.js';
import type { Database } from '../store/schema.js';

export interface DevopsAcl {
  enabled: boolean;
  entries: AclEntry[];
}

export class DevopsAclStore {
  constructor(private readonly db: Kysely<Database>) {}

  async isEnabled(orgId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('organizations')
      .select('devops_acl_enabled')
      .where('id', '=', orgId)
      .executeTakeFirst();
    return row?.devops_acl_enabled === 1;
  }

  async get(orgId: string): Promise<DevopsAcl> {
    const rows = await this.db
      .selectFrom('devops_acl_entries')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('address')
      .execute();
    const entries = rows.map((r) => ({
      address: r.address,
      description: r.description,
      enabled: r.enabled === 1,
      updatedAt: r.updated_at,
    }));
    // A list whose entries are all disabled admits no one by address, so it is a disabled list, not one that refuses everyone.
    return { enabled: (await this.isEnabled(orgId)) && entries.some((e) => e.enabled), entries };
  }

  async setEnabled(orgId: string, enabled: boolean): Promise<void> {
    await this.db
      .updateTable('organizations')
      .set({ devops_acl_enabled: enabled ? 1 : 0 })
      .where('id', '=', orgId)
      .execute();
  }

  async clear(orgId: string): Promise<void> {
    await this.db.deleteFrom('devops_acl_entries').where('org_id', '=', orgId).execute();
  }

  async upsert(orgId: string, entries: AclEntry[]): Promise<void> {
    for (const entry of entries) {
      await this.db
        .insertInto('devops_acl_entries')
        .values({
          org_id: orgId,
          address: entry.address,
          description: entry.description,
          enabled: entry.enabled ? 1 : 0,
          updated_at: entry.updatedAt,
        })
        .onConflict((oc) =>
          oc.columns(['org_id', 'address']).doUpdateSet({
            description: entry.description,
            enabled: entry.enabled ? 1 : 0,
            updated_at: entry.updatedAt,
          }),
        )
        .execute();
    }
  }
}
