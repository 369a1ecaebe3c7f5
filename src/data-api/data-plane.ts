import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { Kysely, SqliteDialect, sql, type RawBuilder } from 'kysely';
import { withStatementCache, type Dialect, type Store } from '../store/database.js';
import { pendingStatements } from './data-store-schema.js';
import { vectorToBlob, type Metric } from './vectors.js';

/** The store's own tables, a table's rows (`tbl_<id>`) and a table's indexes (`ix_<id>_<name>`). */
export type DataTable =
  'meta' | 'keyspaces' | 'collections' | 'documents' | 'entries' | 'types' | `tbl_${number}` | `ix_${number}_${string}`;

/** One database's data store: where its keyspaces, collections and documents live. */
export interface DataStore {
  readonly db: Kysely<any>;
  readonly dialect: Dialect;
  table(name: DataTable): RawBuilder<unknown>;
  /** A SQL expression of the scaled similarity between a stored vector column and a query vector parameter. */
  similarity(metric: Metric, column: RawBuilder<unknown>, query: Float32Array): RawBuilder<number>;
}

/**
 * The embedded data plane: each database has its own data store, a SQLite file under the data
 * directory on the embedded store, or a schema of its own on PostgreSQL (shared by every Orrery
 * process on that PostgreSQL). Stores are opened on first use and brought to the latest schema.
 */
export class DataPlane {
  readonly #open = new Map<string, Promise<DataStore>>();
  readonly #sqlite = new Map<string, Kysely<any>>();

  constructor(
    private readonly control: Store,
    private readonly dataDir: string,
  ) {}

  get dialect(): Dialect {
    return this.control.dialect;
  }

  /** The database's data store; when it does not exist yet, it is created holding the given keyspaces. */
  async store(databaseId: string, keyspaces: readonly string[] = []): Promise<DataStore> {
    let opening = this.#open.get(databaseId);
    if (!opening) {
      opening = this.#openStore(databaseId, keyspaces);
      this.#open.set(databaseId, opening);
      opening.catch(() => this.#open.delete(databaseId));
    }
    return opening;
  }

  /** Whether the database has a data store (it gets one when it first becomes ACTIVE). */
  async exists(databaseId: string): Promise<boolean> {
    if (this.control.dialect === 'sqlite') return existsSync(this.#file(databaseId));
    const found = await sql`SELECT 1 FROM pg_namespace WHERE nspname = ${schemaName(databaseId)}`.execute(
      this.control.db,
    );
    return found.rows.length > 0;
  }

  /** The names of the tables in the database's data store, `meta` included. */
  async tables(databaseId: string): Promise<string[]> {
    const store = await this.store(databaseId);
    const found =
      this.control.dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(
            store.db,
          )
        : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = ${schemaName(databaseId)} AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
            store.db,
          );
    return found.rows.map((r) => r.name);
  }

  /** Deletes every piece of the database's data. */
  async destroy(databaseId: string): Promise<void> {
    this.#open.delete(databaseId);
    if (this.control.dialect === 'postgres') {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schemaName(databaseId))} CASCADE`.execute(this.control.db);
      return;
    }
    const db = this.#sqlite.get(databaseId);
    this.#sqlite.delete(databaseId);
    await db?.destroy();
    const file = this.#file(databaseId);
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }

  /** Closes open files (SQLite); a parked database gives its file handle back until it is unparked. */
  async release(databaseId: string): Promise<void> {
    if (this.control.dialect !== 'sqlite') return;
    this.#open.delete(databaseId);
    const db = this.#sqlite.get(databaseId);
    this.#sqlite.delete(databaseId);
    await db?.destroy();
  }

  async close(): Promise<void> {
    this.#open.clear();
    const handles = [...this.#sqlite.values()];
    this.#sqlite.clear();
    await Promise.all(handles.map((db) => db.destroy()));
  }

  #file(databaseId: string): string {
    return path.join(this.dataDir, 'databases', `${databaseId}.sqlite`);
  }

  async #openStore(databaseId: string, keyspaces: readonly string[]): Promise<DataStore> {
    if (this.control.dialect === 'postgres') {
      const schema = schemaName(databaseId);
      const store = postgresStore(this.control.db, schema);
      await this.control.db.transaction().execute(async (trx) => {
        // Two processes may open the same store at once; the lock makes one of them create it.
        await sql`SELECT pg_advisory_xact_lock(hashtext(${schema}))`.execute(trx);
        await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(trx);
        if (await migrate(trx, 'postgres', `"${schema}".`)) await seed(trx, store, keyspaces);
      });
      return store;
    }
    mkdirSync(path.join(this.dataDir, 'databases'), { recursive: true });
    const sqlite = new SQLite(this.#file(databaseId));
    sqlite.pragma('journal_mode = WAL');
    // FULL: a write is on disk before the response that acknowledges it.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    // sqlite-vec computes vector distances natively, exactly, over every row the query reads.
    sqliteVec.load(sqlite);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    this.#sqlite.set(databaseId, db);
    const store = sqliteStore(db);
    await db.transaction().execute(async (trx) => {
      if (await migrate(trx, 'sqlite', '')) await seed(trx, store, keyspaces);
    });
    return store;
  }
}

/** Brings the store to the latest schema; true when it was created just now. */
async function migrate(trx: Kysely<any>, dialect: Dialect, prefix: string): Promise<boolean> {
  await sql.raw(`CREATE TABLE IF NOT EXISTS ${prefix}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`).execute(trx);
  const row = await sql<{
    value: string;
  }>`SELECT value FROM ${sql.raw(`${prefix}meta`)} WHERE key = 'schema_version'`.execute(trx);
  const current = Number(row.rows[0]?.value ?? 0);
  const pending = pendingStatements(dialect, current, prefix);
  for (const { statements } of pending) {
    for (const statement of statements) await sql.raw(statement).execute(trx);
  }
  if (pending.length) {
    const version = String(pending.at(-1)!.version);
    await sql`INSERT INTO ${sql.raw(`${prefix}meta`)} (key, value) VALUES ('schema_version', ${version})
      ON CONFLICT (key) DO UPDATE SET value = ${version}`.execute(trx);
  }
  return current === 0;
}

async function seed(trx: Kysely<any>, store: DataStore, keyspaces: readonly string[]): Promise<void> {
  // The seeded keyspaces keep their order: the first one is the oldest.
  for (const [i, name] of keyspaces.entries()) {
    const at = new Date(i).toISOString();
    await sql`INSERT INTO ${store.table('keyspaces')} (name, created_at) VALUES (${name}, ${at}) ON CONFLICT (name) DO NOTHING`.execute(
      trx,
    );
  }
}

/** The PostgreSQL schema that holds a database's data store. */
export function schemaName(databaseId: string): string {
  return `data_${databaseId.replaceAll('-', '')}`;
}

function postgresStore(db: Kysely<any>, schema: string): DataStore {
  return {
    db,
    dialect: 'postgres',
    table: (name) => sql.table(`${schema}.${name}`),
    similarity: (metric, column, query) =>
      sql<number>`${sql.table(`${schema}.similarity`)}(${metric}, ${column}, ${Array.from(query)}::real[])`,
  };
}

function sqliteStore(db: Kysely<any>): DataStore {
  return {
    db,
    dialect: 'sqlite',
    table: (name) => sql.table(name),
    similarity: (metric, column, query) => {
      const q = vectorToBlob(query);
      if (metric === 'cosine') return sql<number>`(1 - vec_distance_cosine(${column}, ${q}) / 2)`;
      if (metric === 'euclidean') return sql<number>`(1 / (1 + pow(vec_distance_l2(${column}, ${q}), 2)))`;
      // sqlite-vec has no dot product: a·b = (|a|² + |b|² - |a - b|²) / 2, with |a| the distance from the origin.
      const origin = vectorToBlob(new Float32Array(query.length));
      const squaredNorm = query.reduce((sum, x) => sum + x * x, 0);
      return sql<number>`((1 + (pow(vec_distance_l2(${column}, ${origin}), 2) + ${squaredNorm} - pow(vec_distance_l2(${column}, ${q}), 2)) / 2) / 2)`;
    },
  };
}
