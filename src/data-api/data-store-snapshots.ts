import { sql } from 'kysely';
import type { DataPlane, DataTable } from './data-plane.js';
import { schemaName } from './data-plane.js';

/** Every row of one data store, table by table, as JSON (binary values as `{"$bytes": "<base64>"}`). */
export type DataStoreContent = Record<string, Record<string, unknown>[]>;

/** Rows per INSERT: keeps each statement under both stores' limits on bound parameters. */
const BATCH = 100;

/**
 * Copies databases' data stores out and back in whole, for the emulator's snapshots. A copy is made
 * and restored by the same kind of store (SQLite or PostgreSQL) at the same data store schema version.
 */
export class DataStoreSnapshots {
  constructor(private readonly dataPlane: DataPlane) {}

  /** The database's data, or undefined when it has no data store. */
  async dump(databaseId: string): Promise<DataStoreContent | undefined> {
    if (!(await this.dataPlane.exists(databaseId))) return undefined;
    const store = await this.dataPlane.store(databaseId);
    const content: DataStoreContent = {};
    // `meta` holds the schema version, which belongs to the code that opens the store, not to the copy.
    for (const table of (await this.dataPlane.tables(databaseId)).filter((t) => t !== 'meta')) {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${store.table(table as DataTable)}`.execute(
        store.db,
      );
      content[table] = rows.rows.map((row) => mapValues(row, encode));
    }
    return content;
  }

  /** Deletes the database's data store, when it has one. */
  async remove(databaseId: string): Promise<void> {
    await this.dataPlane.destroy(databaseId);
  }

  /** Replaces the database's data store with a new one holding exactly `content`. */
  async load(databaseId: string, content: DataStoreContent): Promise<void> {
    await this.dataPlane.destroy(databaseId);
    const store = await this.dataPlane.store(databaseId);
    await store.db.transaction().execute(async (trx) => {
      for (const [table, rows] of Object.entries(content)) {
        for (let i = 0; i < rows.length; i += BATCH) {
          const batch = rows.slice(i, i + BATCH);
          const columns = Object.keys(batch[0]!);
          const values = batch.map((row) => sql`(${sql.join(columns.map((c) => decode(row[c])))})`);
          await sql`INSERT INTO ${store.table(table as DataTable)} (${sql.join(columns.map((c) => sql.ref(c)))})
            VALUES ${sql.join(values)}`.execute(trx);
        }
      }
      if (store.dialect === 'postgres') {
        // Rows came with their ids; serial columns go on from the highest one.
        const schema = schemaName(databaseId);
        const serials = await sql<{ table: string; column: string }>`SELECT table_name AS table, column_name AS column
          FROM information_schema.columns WHERE table_schema = ${schema} AND column_default LIKE 'nextval(%'`.execute(
          trx,
        );
        for (const { table, column } of serials.rows) {
          const qualified = `"${schema}"."${table}"`;
          await sql`SELECT setval(pg_get_serial_sequence(${qualified}, ${column}),
            (SELECT COALESCE(max(${sql.ref(column)}), 0) + 1 FROM ${sql.table(`${schema}.${table}`)}), false)`.execute(
            trx,
          );
        }
      }
    });
  }
}

function mapValues(row: Record<string, unknown>, f: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, f(value)]));
}

function encode(value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}

function decode(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$bytes' in value)
    return Buffer.from((value as { $bytes: string }).$bytes, 'base64');
  return value;
}
