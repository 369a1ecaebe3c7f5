import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A row exists once a database has an access list; without one, every address may connect.
  await db.schema
    .createTable('database_access_lists')
    .addColumn('database_id', 'text', (c) => c.primaryKey().references('databases.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('database_access_lists_by_org')
    .on('database_access_lists')
    .columns(['org_id', 'database_id'])
    .execute();
  await db.schema
    .createTable('database_access_list_entries')
    .addColumn('database_id', 'text', (c) => c.notNull().references('database_access_lists.database_id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('database_access_list_entries_pk', ['database_id', 'address'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
