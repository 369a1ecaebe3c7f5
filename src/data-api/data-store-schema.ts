import type { Dialect } from '../store/database.js';

/**
 * The tables of one database's data store, by schema version. A store records its version in `meta`
 * and is brought forward on open; versions are only ever appended. `{s}` is the table prefix: empty
 * on SQLite (a file per database), `"<schema>".` on PostgreSQL (a schema per database).
 */
const VERSIONS: Record<Dialect, string[][]> = {
  sqlite: [
    [
      'CREATE TABLE IF NOT EXISTS {s}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      'CREATE TABLE {s}keyspaces (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)',
      `CREATE TABLE {s}collections (id INTEGER PRIMARY KEY AUTOINCREMENT, keyspace TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
         settings TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (keyspace, name))`,
      `CREATE TABLE {s}documents (seq INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, doc_id TEXT NOT NULL, body TEXT NOT NULL,
         vector BLOB, UNIQUE (collection_id, doc_id))`,
      'CREATE INDEX {s}documents_in_order ON documents (collection_id, seq)',
      `CREATE TABLE {s}entries (collection_id INTEGER NOT NULL, path TEXT NOT NULL, kind INTEGER NOT NULL, num REAL, txt TEXT,
         seq INTEGER NOT NULL, direct INTEGER NOT NULL)`,
      'CREATE INDEX {s}entries_by_number ON entries (collection_id, path, kind, num, seq)',
      'CREATE INDEX {s}entries_by_text ON entries (collection_id, path, kind, txt, seq) WHERE txt IS NOT NULL',
      'CREATE INDEX {s}entries_of_document ON entries (seq, path)',
    ],
    // User-defined types of tables; each table itself is a table of its own, tbl_<id> (see tables/table-rows.ts).
    [
      'CREATE TABLE {s}types (keyspace TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (keyspace, name))',
    ],
  ],
  postgres: [
    [
      'CREATE TABLE IF NOT EXISTS {s}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      'CREATE TABLE {s}keyspaces (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)',
      `CREATE TABLE {s}collections (id BIGSERIAL PRIMARY KEY, keyspace TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
         settings TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (keyspace, name))`,
      `CREATE TABLE {s}documents (seq BIGSERIAL PRIMARY KEY, collection_id BIGINT NOT NULL, doc_id TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL,
         vector REAL[], UNIQUE (collection_id, doc_id))`,
      'CREATE INDEX documents_in_order ON {s}documents (collection_id, seq)',
      `CREATE TABLE {s}entries (collection_id BIGINT NOT NULL, path TEXT COLLATE "C" NOT NULL, kind SMALLINT NOT NULL, num DOUBLE PRECISION,
         txt TEXT COLLATE "C", seq BIGINT NOT NULL, direct SMALLINT NOT NULL)`,
      'CREATE INDEX entries_by_number ON {s}entries (collection_id, path, kind, num, seq)',
      'CREATE INDEX entries_by_text ON {s}entries (collection_id, path, kind, txt, seq) WHERE txt IS NOT NULL',
      'CREATE INDEX entries_of_document ON {s}entries (seq, path)',
      // Exact similarity, scaled as the Data API reports it (the same scaling as the SQLite store in data-plane.ts).
      `CREATE FUNCTION {s}similarity(metric TEXT, a REAL[], b REAL[]) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT CASE metric
           WHEN 'euclidean' THEN 1 / (1 + sum((x::float8 - y::float8) ^ 2))
           WHEN 'dot_product' THEN (1 + sum(x::float8 * y::float8)) / 2
           ELSE CASE WHEN sum(x::float8 * x::float8) * sum(y::float8 * y::float8) = 0 THEN 0.5
             ELSE (1 + sum(x::float8 * y::float8) / sqrt(sum(x::float8 * x::float8) * sum(y::float8 * y::float8))) / 2 END
         END FROM unnest(a, b) AS t(x, y) $$`,
    ],
    [
      'CREATE TABLE {s}types (keyspace TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (keyspace, name))',
    ],
  ],
};

/** The statements that bring a store from `current` to the latest version, with the prefix filled in. */
export function pendingStatements(
  dialect: Dialect,
  current: number,
  prefix: string,
): { version: number; statements: string[] }[] {
  return VERSIONS[dialect].slice(current).map((statements, i) => ({
    version: current + i + 1,
    statements: statements.map((s) => s.replaceAll('{s}', prefix)),
  }));
}

export function latestVersion(dialect: Dialect): number {
  return VERSIONS[dialect].length;
}
