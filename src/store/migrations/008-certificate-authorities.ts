import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Each database's own certificate authority, which signs the client certificates in its bundles.
  await db.schema
    .createTable('database_authorities')
    .addColumn('database_id', 'text', (c) => c.primaryKey().references('databases.id'))
    .addColumn('certificate', 'text', (c) => c.notNull())
    // The CA's private key (PKCS#8 PEM), sealed with a key derived from the server key.
    .addColumn('sealed_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
