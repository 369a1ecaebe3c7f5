import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Configuration documents kept per database, datacenter or organization (telemetry, private links,
  // customer keys, custom domains, the migration proxy). Secrets inside are sealed before they get here.
  await db.schema
    .createTable('settings')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('settings_pk', ['scope', 'kind'])
    .execute();
  await db.schema.createIndex('settings_by_org').on('settings').columns(['org_id', 'kind']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
