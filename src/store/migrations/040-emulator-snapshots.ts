import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Named copies of the whole state, taken and restored by the emulator controls.
  await db.schema
    .createTable('emulator_snapshots')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
