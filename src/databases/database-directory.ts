import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { DatabaseRecord } from './database-records.js';
import { DatabaseStore } from './database-store.js';
import { DatabaseUserStore, type StoredDatabaseUser } from './database-user-store.js';

/** What is hashed for a database password: bound to its username, so one hash cannot stand for another user. */
export function passwordMaterial(username: string, password: string): string {
  return `${username}\u0000${password}`;
}

/** What other areas may read of databases, without reaching the databases area's stores. */
export class DatabaseDirectory {
  constructor(private readonly db: Kysely<Database>) {}

  /** A database of one organization; another organization's is not found. */
  find(orgId: string, id: string): Promise<DatabaseRecord | undefined> {
    return new DatabaseStore(this.db).find(orgId, id);
  }

  /** A database by id alone, for callers that reached it through its own endpoint. */
  findById(id: string): Promise<DatabaseRecord | undefined> {
    return new DatabaseStore(this.db).findById(id);
  }

  /** A classic database's own user, with its password hash. */
  user(databaseId: string): Promise<StoredDatabaseUser | undefined> {
    return new DatabaseUserStore(this.db).find(databaseId);
  }
}
