import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Failed credential checks per key and fixed window, shared by every server process on the store.
  // Keys are hashes, so no username or address typed by a caller is kept here.
  await db.schema
    .createTable('failure_counts')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_index', 'integer', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('failure_counts_pk', ['key', 'window_index'])
    .execute();
  await db.schema.createIndex('failure_counts_by_expiry').on('failure_counts').columns(['expires_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
