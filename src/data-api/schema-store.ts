import { sql, type Kysely } from 'kysely';
import type { CollectionSettings } from './collection-settings.js';
import type { DataStore } from './data-plane.js';

/** What a keyspace holds: collections and tables, in one namespace. */
export type SchemaObjectKind = 'collection' | 'table';

export interface CollectionRecord {
  id: number;
  keyspace: string;
  name: string;
  kind: SchemaObjectKind;
  settings: CollectionSettings;
  createdAt: string;
}

/** A user-defined type of a keyspace, its definition as the tables module records it. */
export interface TypeRecord {
  name: string;
  definition: unknown;
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
    for (const object of await this.objects(name)) {
      if (object.kind === 'table') await this.dropTable(object);
      else await this.dropCollection(object);
    }
    await sql`DELETE FROM ${this.store.table('types')} WHERE keyspace = ${name}`.execute(this.db);
    await sql`DELETE FROM ${this.store.table('keyspaces')} WHERE name = ${name}`.execute(this.db);
  }

  /** The keyspace's collections and tables. */
  async objects(keyspace: string, kind?: SchemaObjectKind): Promise<CollectionRecord[]> {
    const result =
      await sql<CollectionRow>`SELECT * FROM ${this.store.table('collections')} WHERE keyspace = ${keyspace}
      ${kind ? sql`AND kind = ${kind}` : sql``} ORDER BY created_at, name`.execute(this.db);
    return result.rows.map(toRecord);
  }

  collections(keyspace: string): Promise<CollectionRecord[]> {
    return this.objects(keyspace, 'collection');
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
    kind: SchemaObjectKind = 'collection',
  ): Promise<CollectionRecord> {
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

  /** Records a table's new definition (tables keep theirs where collections keep their settings). */
  async updateSettings(id: number, settings: unknown): Promise<void> {
    await sql`UPDATE ${this.store.table('collections')} SET settings = ${JSON.stringify(settings)} WHERE id = ${id}`.execute(
      this.db,
    );
  }

  /** Drops a table with its rows and indexes. */
  async dropTable(table: CollectionRecord): Promise<void> {
    await sql`DROP TABLE IF EXISTS ${this.store.table(`tbl_${table.id}`)}`.execute(this.db);
    await sql`DELETE FROM ${this.store.table('collections')} WHERE id = ${table.id}`.execute(this.db);
  }

  async types(keyspace: string): Promise<TypeRecord[]> {
    const result = await sql<{
      name: string;
      definition: string;
    }>`SELECT name, definition FROM ${this.store.table('types')} WHERE keyspace = ${keyspace} ORDER BY created_at, name`.execute(
      this.db,
    );
    return result.rows.map((r) => ({ name: r.name, definition: JSON.parse(r.definition) as unknown }));
  }

  async putType(keyspace: string, name: string, definition: unknown, at: string): Promise<void> {
    const text = JSON.stringify(definition);
    await sql`INSERT INTO ${this.store.table('types')} (keyspace, name, definition, created_at) VALUES (${keyspace}, ${name}, ${text}, ${at})
      ON CONFLICT (keyspace, name) DO UPDATE SET definition = ${text}`.execute(this.db);
  }

  async dropType(keyspace: string, name: string): Promise<void> {
    await sql`DELETE FROM ${this.store.table('types')} WHERE keyspace = ${keyspace} AND name = ${name}`.execute(
      this.db,
    );
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
