import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Per-database auth tokens (X-Cassandra-Token). Only a keyed hash of each token is kept.
  await db.schema
    .createTable('data_auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('database_id', 'text', (c) => c.notNull().references('databases.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    // Exactly one of these says what the token was made from: an application token, or the database's own user.
    .addColumn('client_id', 'text')
    .addColumn('db_username', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('refreshed_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_auth_tokens_by_expiry').on('data_auth_tokens').columns(['expires_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
