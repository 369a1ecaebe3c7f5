import { sql, type Kysely } from 'kysely';
import { jsonArrayHas } from '../store/json-arrays.js';
import type { Database, UserTable } from '../store/schema.js';

export interface UserRecord {
  id: string;
  orgId: string;
  email: string;
  status: 'invited' | 'active';
  roleIds: string[];
  createdAt: string;
  updatedAt: string;
}

function toUser(row: UserTable): UserRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    status: row.status as UserRecord['status'],
    roleIds: JSON.parse(row.roles) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(orgId: string): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('email').execute()).map(
      toUser,
    );
  }

  async find(orgId: string, id: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async findByEmail(orgId: string, email: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('email', '=', email)
      .executeTakeFirst();
    return row && toUser(row);
  }

  /** Users holding the role; with `activeOnly`, only those who accepted their invitation; never `exceptUserId`. */
  async countHoldingRole(
    orgId: string,
    roleId: string,
    { activeOnly = false, exceptUserId = '' }: { activeOnly?: boolean; exceptUserId?: string } = {},
  ): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('n'))
      .where('org_id', '=', orgId)
      .where(jsonArrayHas(this.db, 'users.roles', roleId))
      .$if(activeOnly, (query) => query.where('status', '=', 'active'))
      .where('id', '!=', exceptUserId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(user: UserRecord): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        org_id: user.orgId,
        email: user.email,
        status: user.status,
        roles: JSON.stringify(user.roleIds),
        created_at: user.createdAt,
        updated_at: user.updatedAt,
      })
      .execute();
  }

  async setRoles(orgId: string, id: string, roleIds: string[], at: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ roles: JSON.stringify(roleIds), updated_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async setStatus(orgId: string, id: string, status: UserRecord['status'], at: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ status, updated_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('users')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
