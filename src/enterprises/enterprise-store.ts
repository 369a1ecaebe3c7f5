import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface Enterprise {
  id: string;
  name: string;
  primaryOrgId: string;
  createdAt: string;
}

export class EnterpriseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(enterprise: Enterprise): Promise<void> {
    await this.db
      .insertInto('enterprises')
      .values({
        id: enterprise.id,
        name: enterprise.name,
        primary_org_id: enterprise.primaryOrgId,
        created_at: enterprise.createdAt,
      })
      .execute();
    await this.addMember(enterprise.id, enterprise.primaryOrgId);
  }

  async addMember(enterpriseId: string, orgId: string): Promise<void> {
    await this.db.updateTable('organizations').set({ enterprise_id: enterpriseId }).where('id', '=', orgId).execute();
  }

  async findByPrimaryOrg(orgId: string): Promise<Enterprise | undefined> {
    const row = await this.db
      .selectFrom('enterprises')
      .selectAll()
      .where('primary_org_id', '=', orgId)
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, primaryOrgId: row.primary_org_id, createdAt: row.created_at };
  }

  /** The enterprise an organization belongs to, if any. */
  async enterpriseOf(orgId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('organizations')
      .select('enterprise_id')
      .where('id', '=', orgId)
      .executeTakeFirst();
    return row?.enterprise_id ?? undefined;
  }

  async isMember(enterpriseId: string, orgId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', orgId)
      .where('enterprise_id', '=', enterpriseId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async memberIds(enterpriseId: string): Promise<string[]> {
    return (
      await this.db.selectFrom('organizations').select('id').where('enterprise_id', '=', enterpriseId).execute()
    ).map((r) => r.id);
  }

  async find(id: string): Promise<Enterprise | undefined> {
    const row = await this.db.selectFrom('enterprises').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, primaryOrgId: row.primary_org_id, createdAt: row.created_at };
  }

  /** The enterprise's organizations, by name. */
  async members(enterpriseId: string): Promise<{ id: string; name: string; createdAt: string }[]> {
    const rows = await this.db
      .selectFrom('organizations')
      .select(['id', 'name', 'created_at'])
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }
}
