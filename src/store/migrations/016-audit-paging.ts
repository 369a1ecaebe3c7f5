import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Pages are read newest first by id within an organization: this index gives them in that order.
  await db.schema.createIndex('audit_events_by_org_id').on('audit_events').columns(['org_id', 'id']).execute();
  // Retention deletes by age across organizations.
  await db.schema.createIndex('audit_events_by_time').on('audit_events').columns(['at']).execute();
  // Identical denials are counted on one event: how many, the last one's time, and what makes them identical.
  await db.schema
    .alterTable('audit_events')
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('audit_events').addColumn('last_at', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('fingerprint', 'text').execute();
  await db.schema
    .createIndex('audit_events_by_fingerprint')
    .on('audit_events')
    .columns(['org_id', 'fingerprint', 'at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
