import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface AuthorityRow {
  databaseId: string;
  certificate: string;
  sealedKey: string;
  createdAt: string;
}

export class AuthorityStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Keeps the first authority made for a database; a second one made in a race is dropped. */
  async insert(row: AuthorityRow): Promise<void> {
    await this.db
      .insertInto('database_authorities')
      .values({
        database_id: row.databaseId,
        certificate: row.certificate,
        sealed_key: row.sealedKey,
        created_at: row.createdAt,
      })
      .onConflict((oc) => oc.column('database_id').doNothing())
      .execute();
  }

  /** Deletes the authorities of databases being purged. */
  async deleteForDatabases(databaseIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('database_authorities').where('database_id', 'in', databaseIds).execute();
  }

  async find(databaseId: string): Promise<AuthorityRow | undefined> {
    const row = await this.db
      .selectFrom('database_authorities')
      .selectAll()
      .where('database_id', '=', databaseId)
      .executeTakeFirst();
    return (
      row && {
        databaseId: row.database_id,
        certificate: row.certificate,
        sealedKey: row.sealed_key,
        createdAt: row.created_at,
      }
    );
  }
}
