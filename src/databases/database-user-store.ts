import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface DatabaseUser {
  username: string;
  passwordHash: string;
}

export interface StoredDatabaseUser extends DatabaseUser {
  /** When the user or password was last set. */
  updatedAt: string;
}

/** The CQL user of a classic database, with its password kept only as a keyed hash. */
export class DatabaseUserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async set(databaseId: string, user: DatabaseUser, at: string): Promise<void> {
    await this.db
      .insertInto('database_users')
      .values({ database_id: databaseId, username: user.username, password_hash: user.passwordHash, updated_at: at })
      .onConflict((oc) =>
        oc
          .column('database_id')
          .doUpdateSet({ username: user.username, password_hash: user.passwordHash, updated_at: at }),
      )
      .execute();
  }

  async find(databaseId: string): Promise<StoredDatabaseUser | undefined> {
    const row = await this.db
      .selectFrom('database_users')
      .select(['username', 'password_hash', 'updated_at'])
      .where('database_id', '=', databaseId)
      .executeTakeFirst();
    return row && { username: row.username, passwordHash: row.password_hash, updatedAt: row.updated_at };
  }
}
