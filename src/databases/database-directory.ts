import type { Kysely } from 'kysely';
import { notFound } from '../kernel/errors.js';
import { orgDrn } from '../kernel/policy.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import type { DatabaseRecord } from './database-records.js';
import { DatabaseStore } from './database-store.js';
import { DatabaseUserStore, type StoredDatabaseUser } from './database-user-store.js';

/** What is hashed for a database password: bound to its username, so one hash cannot stand for another user. */
export function passwordMaterial(username: string, password: string): string {
  return `${username}\u0000${password}`;
}

/** The DRN a database's permissions are granted on. */
export function databaseDrn(orgId: string, databaseId: string): string {
  return `${orgDrn(orgId)}:db:${databaseId}`;
}

/** An organization's database, read through `db` (which may be a transaction); 404 when it has none of that id. */
export async function requireDatabase(db: Kysely<Database>, orgId: string, id: string): Promise<DatabaseRecord> {
  const record = await new DatabaseStore(db).find(orgId, id);
  if (!record) throw notFound(`The specified database ${id} was not found.`);
  return record;
}

/** Every tier but serverless is a classic database. */
export function isClassic(tier: string): boolean {
  return tier !== 'serverless';
}

/** What other areas may read of databases, without reaching the databases area's stores. */
export class DatabaseDirectory {
  /** With a cache, databases are read through it: for requests that only read them. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache?: ReadCache,
  ) {}

  /** A database of one organization; another organization's is not found. */
  async find(orgId: string, id: string): Promise<DatabaseRecord | undefined> {
    if (!this.cache) return new DatabaseStore(this.db).find(orgId, id);
    const record = await this.findById(id);
    return record?.orgId === orgId ? record : undefined;
  }

  /** A database by id alone, for callers that reached it through its own endpoint. */
  findById(id: string): Promise<DatabaseRecord | undefined> {
    const load = () => new DatabaseStore(this.db).findById(id);
    return this.cache ? this.cache.get(cacheKeys.database(id), load) : load();
  }

  /** A classic database's own user, with its password hash. */
  user(databaseId: string): Promise<StoredDatabaseUser | undefined> {
    return new DatabaseUserStore(this.db).find(databaseId);
  }
}
