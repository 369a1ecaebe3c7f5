import { sql, type RawBuilder } from 'kysely';
import type { DataStore } from '../data-plane.js';
import type { Metric } from '../vectors.js';
import { sqlType, type ColumnType } from './column-types.js';
import { fromSql, toSql, type Canon } from './column-values.js';
import { primaryKeyColumns, type TableDefinition, type TableIndex } from './table-definition.js';

/** A row as canonical values by column; a missing or null column is null. */
export type Row = Record<string, Canon | null>;

export interface RowQuery {
  where: RawBuilder<unknown>;
  /** ORDER BY terms; the primary key's order when absent. */
  orderBy?: RawBuilder<unknown>;
  limit: number;
  offset?: number;
  /** Nearest neighbours of the vector in the column, by the metric, best first. */
  nearest?: { column: string; vector: Float32Array; metric: Metric };
  forUpdate?: boolean;
}

/** A row read back, with its similarity when found by vector. */
export interface FoundRow {
  row: Row;
  similarity?: number;
}

const SIMILARITY = '$similarity';

/**
 * The rows of one table, kept in a SQL table of their own (`tbl_<id>`): a typed column per column, the
 * primary key as the SQL primary key, regular indexes as SQL indexes.
 */
export class TableRows {
  constructor(
    private readonly store: DataStore,
    private readonly id: number,
    private readonly table: TableDefinition,
    private readonly db: DataStore['db'] = store.db,
  ) {}

  get #name() {
    return this.store.table(`tbl_${this.id}`);
  }

  async create(): Promise<void> {
    const columns = Object.entries(this.table.columns).map(([name, type]) => this.#columnDefinition(name, type));
    // SQLite keeps the clustering direction in the key; PostgreSQL scans its B-tree either way.
    const key = [
      ...this.table.partitionBy.map((c) => sql.id(c)),
      ...this.table.partitionSort.map(([c, d]) =>
        d === -1 && this.store.dialect === 'sqlite' ? sql`${sql.id(c)} DESC` : sql.id(c),
      ),
    ];
    await sql`CREATE TABLE ${this.#name} (${sql.join(columns)}, PRIMARY KEY (${sql.join(key)}))`.execute(this.db);
  }

  async addColumns(columns: Record<string, ColumnType>): Promise<void> {
    for (const [name, type] of Object.entries(columns))
      await sql`ALTER TABLE ${this.#name} ADD COLUMN ${this.#columnDefinition(name, type)}`.execute(this.db);
  }

  async dropColumns(names: string[]): Promise<void> {
    for (const name of names) await sql`ALTER TABLE ${this.#name} DROP COLUMN ${sql.id(name)}`.execute(this.db);
  }

  /** A SQL index for a regular index on a scalar column; other indexes are served by scanning (see docs/data-api.md). */
  async createIndex(index: TableIndex): Promise<void> {
    if (index.kind !== 'regular' || index.target) return;
    const column = index.options.caseSensitive === false ? sql`lower(${sql.id(index.column)})` : sql.id(index.column);
    const name = this.store.dialect === 'postgres' ? sql.id(indexName(this.id, index)) : this.#indexRef(index);
    await sql`CREATE INDEX ${name} ON ${this.#name} (${column})`.execute(this.db);
  }

  async dropIndex(index: TableIndex): Promise<void> {
    await sql`DROP INDEX IF EXISTS ${this.#indexRef(index)}`.execute(this.db);
  }

  #indexRef(index: TableIndex) {
    return this.store.table(indexName(this.id, index) as `ix_${number}_${string}`);
  }

  #columnDefinition(name: string, type: ColumnType) {
    return sql`${sql.id(name)} ${sql.raw(sqlType(type, this.store.dialect))}`;
  }

  /** Inserts each row, or, where its primary key is taken, overwrites the columns it gives (a CQL insert). */
  async upsert(rows: Row[]): Promise<void> {
    const key = primaryKeyColumns(this.table);
    for (const row of rows) {
      const names = Object.keys(row);
      const values = names.map((name) => toSql(this.table.columns[name]!, row[name]!, this.store.dialect));
      const others = names.filter((name) => !key.includes(name));
      const onConflict = others.length
        ? sql`DO UPDATE SET ${sql.join(others.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`))}`
        : sql`DO NOTHING`;
      await sql`INSERT INTO ${this.#name} (${sql.join(names.map((n) => sql.id(n)))}) VALUES (${sql.join(values)})
        ON CONFLICT (${sql.join(key.map((c) => sql.id(c)))}) ${onConflict}`.execute(this.db);
    }
  }

  /** Sets the columns to null in the rows that match. */
  async clear(columns: string[], where: RawBuilder<unknown>): Promise<void> {
    if (columns.length === 0) return;
    const sets = columns.map((c) => sql`${sql.id(c)} = NULL`);
    await sql`UPDATE ${this.#name} SET ${sql.join(sets)} WHERE ${where}`.execute(this.db);
  }

  /** The SQL value of a canonical value in the column, for filters. */
  param(column: string, canon: Canon | null): unknown {
    return toSql(this.table.columns[column]!, canon, this.store.dialect);
  }

  async find(query: RowQuery): Promise<FoundRow[]> {
    const columns = Object.entries(this.table.columns).map(([name, type]) => this.#select(name, type));
    const lock = query.forUpdate && this.store.dialect === 'postgres' ? sql`FOR UPDATE` : sql``;
    let order = query.orderBy ?? this.keyOrder();
    if (query.nearest) {
      const similarity = this.store.similarity(
        query.nearest.metric,
        sql.id(query.nearest.column),
        query.nearest.vector,
      );
      columns.push(sql`${similarity} AS ${sql.id(SIMILARITY)}`);
      order = sql`${sql.id(SIMILARITY)} DESC, ${this.keyOrder()}`;
    }
    const nearestOnly = query.nearest ? sql`AND ${sql.id(query.nearest.column)} IS NOT NULL` : sql``;
    const result = await sql<Record<string, unknown>>`SELECT ${sql.join(columns)} FROM ${this.#name}
      WHERE ${query.where} ${nearestOnly} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset ?? 0} ${lock}`.execute(
      this.db,
    );
    return result.rows.map((raw) => {
      const row: Row = {};
      for (const [name, type] of Object.entries(this.table.columns)) row[name] = fromSql(type, raw[name]);
      const similarity = raw[SIMILARITY];
      return similarity === undefined || similarity === null ? { row } : { row, similarity: Number(similarity) };
    });
  }

  /** The primary key's order: partition columns, then clustering columns in their directions. */
  keyOrder(): RawBuilder<unknown> {
    return sql.join([
      ...this.table.partitionBy.map((c) => sql`${sql.id(c)}`),
      ...this.table.partitionSort.map(([c, d]) => (d === 1 ? sql`${sql.id(c)}` : sql`${sql.id(c)} DESC`)),
    ]);
  }

  async delete(where: RawBuilder<unknown>): Promise<void> {
    await sql`DELETE FROM ${this.#name} WHERE ${where}`.execute(this.db);
  }

  #select(name: string, type: ColumnType) {
    // SQLite hands 64-bit integers to JavaScript as doubles; their text is exact.
    if (this.store.dialect === 'sqlite' && (type.type === 'bigint' || type.type === 'counter'))
      return sql`CAST(${sql.id(name)} AS TEXT) AS ${sql.id(name)}`;
    return sql.id(name);
  }
}

function indexName(tableId: number, index: TableIndex): string {
  return `ix_${tableId}_${index.name}`;
}
