import type { Kysely } from 'kysely';
import type { Database, RoleTable } from '../store/schema.js';
import type { Policy, Role } from '../kernel/policy.js';

export interface CustomRole extends Role {
  orgId: string;
  updatedAt: string;
  updatedBy: string;
}

function toRole(row: RoleTable): CustomRole {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    builtIn: false,
    policy: JSON.parse(row.policy) as Policy,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export class RoleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(orgId: string): Promise<CustomRole[]> {
    const rows = await this.db.selectFrom('roles').selectAll().where('org_id', '=', orgId).orderBy('name').execute();
    return rows.map(toRole);
  }

  async findByName(orgId: string, name: string): Promise<CustomRole | undefined> {
    const row = await this.db
      .selectFrom('roles')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRole(row);
  }

  async upsert(role: CustomRole, isNew: boolean): Promise<void> {
    const values = {
      name: role.name,
      policy: JSON.stringify(role.policy),
      updated_at: role.updatedAt,
      updated_by: role.updatedBy,
    };
    if (isNew)
      await this.db
        .insertInto('roles')
        .values({ id: role.id, org_id: role.orgId, ...values })
        .execute();
    else
      await this.db
        .updateTable('roles')
        .set(values)
        .where('id', '=', role.id)
        .where('org_id', '=', role.orgId)
        .execute();
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.db.deleteFrom('roles').where('org_id', '=', orgId).where('id', '=', id).execute();
  }
}
