import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('enterprises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // The organization whose administrators own the enterprise; enterprise tokens are kept under it.
    .addColumn('primary_org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('organizations').addColumn('enterprise_id', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('email', 'text').execute();
  // Set for enterprise tokens; organization tokens leave it empty.
  await db.schema.alterTable('tokens').addColumn('enterprise_id', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
