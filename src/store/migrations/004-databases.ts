import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('databases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cloud_provider', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('capacity_units', 'integer', (c) => c.notNull())
    .addColumn('db_type', 'text')
    .addColumn('keyspace', 'text', (c) => c.notNull())
    // JSON array of every keyspace, the default one first.
    .addColumn('keyspaces', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('terminated_at', 'text')
    .execute();
  // Listing pages by id within an organization, optionally by status.
  await db.schema.createIndex('databases_by_org').on('databases').columns(['org_id', 'id']).execute();

  // Lifecycle work: each row moves one database from one status to the next when it is due.
  await db.schema
    .createTable('lifecycle_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('database_id', 'text', (c) => c.notNull().references('databases.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lifecycle_jobs_due').on('lifecycle_jobs').columns(['run_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
