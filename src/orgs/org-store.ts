import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Organization } from './organization.js';

export class OrgStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(org: Organization): Promise<void> {
    await this.db
      .insertInto('organizations')
      .values({ id: org.id, name: org.name, email: org.email ?? null, created_at: org.createdAt })
      .execute();
  }

  /**
   * Holds the organization's row until the transaction ends (a no-op write takes the row lock on
   * PostgreSQL; SQLite runs one writer at a time anyway), so that checks on the organization's
   * credentials and the changes they guard are not interleaved with another process's.
   */
  async lock(id: string): Promise<void> {
    await this.db.updateTable('organizations').set({ id }).where('id', '=', id).execute();
  }

  async find(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at };
  }
}
