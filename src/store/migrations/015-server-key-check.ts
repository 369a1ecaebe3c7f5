import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row: a value keyed with the server key the store was first started with, so that a start with
  // another key is refused instead of refusing every stored credential. Also the target of /ready's write probe.
  await db.schema
    .createTable('server_key_check')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('check_value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('probed_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
