import { sql, type Kysely } from 'kysely';
import type { CollectionSettings } from './collection-settings.js';
import type { DataStore } from './data-plane.js';

/** What a keyspace holds: collections now; tables will sit beside them with their own kind. */
export type SchemaObjectKind = 'collection';

export interface CollectionRecord {
  id: number;
  keyspace: string;
  name: string;
  kind: SchemaObjectKind;
  settings: CollectionSettings;
  createdAt: string;
}

interface CollectionRow {
  id: number | string;
  keyspace: string;
  name: string;
  kind: string;
  settings: string;
  created_at: string;
}

/** Keyspaces and the schema objects inside them, in one database's data store. */
export class SchemaStore {
  constructor(
    private readonly store: DataStore,
    private readonly db: Kysely<any> = store.db,
  ) {}

  withTransaction(trx: Kysely<any>): SchemaStore {
    return new SchemaStore(this.store, trx);
  }

  async keyspaces(): Promise<string[]> {
    const result = await sql<{
      name: string;
    }>`SELECT name FROM ${this.store.table('keyspaces')} ORDER BY created_at, name`.execute(this.db);
    return result.rows.map((r) => r.name);
  }

  async hasKeyspace(name: string): Promise<boolean> {
    const result = await sql`SELECT 1 AS found FROM ${this.store.table('keyspaces')} WHERE name = ${name}`.execute(
      this.db,
    );
    return result.rows.length > 0;
  }

  async addKeyspace(name: string, at: string): Promise<void> {
    await sql`INSERT INTO ${this.store.table('keyspaces')} (name, created_at) VALUES (${name}, ${at}) ON CONFLICT (name) DO NOTHING`.execute(
      this.db,
    );
  }

  /** Drops the keyspace with everything in it. */
  async dropKeyspace(name: string): Promise<void> {
    for (const collection of await this.collections(name)) await this.dropCollection(collection);
    await sql`DELETE FROM ${this.store.table('keyspaces')} WHERE name = ${name}`.execute(this.db);
  }

  async collections(keyspace: string): Promise<CollectionRecord[]> {
    const result =
      await sql<CollectionRow>`SELECT * FROM ${this.store.table('collections')} WHERE keyspace = ${keyspace} ORDER BY created_at, name`.execute(
        this.db,
      );
    return result.rows.map(toRecord);
  }

  async collection(keyspace: string, name: string): Promise<CollectionRecord | undefined> {
    const result =
      await sql<CollectionRow>`SELECT * FROM ${this.store.table('collections')} WHERE keyspace = ${keyspace} AND name = ${name}`.execute(
        this.db,
      );
    return result.rows[0] && toRecord(result.rows[0]);
  }

  async countCollections(): Promise<number> {
    const result = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM ${this.store.table('collections')}`.execute(this.db);
    return Number(result.rows[0]?.n ?? 0);
  }

  async addCollection(
    keyspace: string,
    name: string,
    settings: CollectionSettings,
    at: string,
  ): Promise<CollectionRecord> {
    const kind = 'collection';
    const result = await sql<{
      id: number | string;
    }>`INSERT INTO ${this.store.table('collections')} (keyspace, name, kind, settings, created_at)
      VALUES (${keyspace}, ${name}, ${kind}, ${JSON.stringify(settings)}, ${at}) RETURNING id`.execute(this.db);
    return { id: Number(result.rows[0]!.id), keyspace, name, kind, settings, createdAt: at };
  }

  async dropCollection(collection: CollectionRecord): Promise<void> {
    await sql`DELETE FROM ${this.store.table('entries')} WHERE collection_id = ${collection.id}`.execute(this.db);
    await sql`DELETE FROM ${this.store.table('documents')} WHERE collection_id = ${collection.id}`.execute(this.db);
    await sql`DELETE FROM ${this.store.table('collections')} WHERE id = ${collection.id}`.execute(this.db);
  }
}

function toRecord(row: CollectionRow): CollectionRecord {
  return {
    id: Number(row.id),
    keyspace: row.keyspace,
    name: row.name,
    kind: row.kind as SchemaObjectKind,
    settings: JSON.parse(row.settings) as CollectionSettings,
    createdAt: row.created_at,
  };
}
