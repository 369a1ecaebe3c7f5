import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Each Orrery process's per-minute measurements of a database's data-endpoint traffic, so that every
  // process charts the traffic all of them served. A process rewrites only its own rows.
  await db.schema
    .createTable('traffic_minutes')
    .addColumn('database_id', 'text', (c) => c.notNull())
    .addColumn('minute', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    // A latency histogram as JSON: {"<bucket index>": count}, buckets as in src/traffic/latency-histogram.ts.
    .addColumn('latency_counts', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('traffic_minutes_pk', ['database_id', 'minute', 'process_id'])
    .execute();
  await db.schema.createIndex('traffic_minutes_by_minute').on('traffic_minutes').columns(['minute']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
