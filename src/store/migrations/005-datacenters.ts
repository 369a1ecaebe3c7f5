import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('datacenters')
    // `<databaseId>-<ordinal>`, as clients expect.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('database_id', 'text', (c) => c.notNull().references('databases.id'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('cloud_provider', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('capacity_units', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('terminated_at', 'text')
    .execute();
  await db.schema
    .createIndex('datacenters_by_database')
    .on('datacenters')
    .columns(['database_id', 'ordinal'])
    .unique()
    .execute();
  // Databases made before datacenters were stored had exactly one, in their own region.
  await sql`
    INSERT INTO datacenters (id, database_id, ordinal, tier, cloud_provider, region, capacity_units, status, created_at, terminated_at)
    SELECT id || '-1', id, 1, tier, cloud_provider, region, capacity_units,
           CASE WHEN status = 'TERMINATED' THEN 'TERMINATED' ELSE 'ACTIVE' END, created_at, terminated_at
    FROM databases`.execute(db);

  // The CQL user of a classic database: what resetPassword sets and the per-database auth API checks.
  await db.schema
    .createTable('database_users')
    .addColumn('database_id', 'text', (c) => c.primaryKey().references('databases.id'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
