import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The channel on which PostgreSQL tells every Orrery process which cached rows changed. */
export const CACHE_CHANNEL = 'orrery_cache';

/**
 * Rows that processes keep in their read cache, by table: the cache key's kind, the column naming
 * the key, and whether new rows matter (they do where a cached value is a list, or a child row).
 */
const WATCHED: { table: string; kind: string; column: string; inserts: boolean }[] = [
  { table: 'tokens', kind: 'token', column: 'client_id', inserts: false },
  { table: 'roles', kind: 'roles', column: 'org_id', inserts: true },
  { table: 'organizations', kind: 'org', column: 'id', inserts: false },
  { table: 'devops_acl_entries', kind: 'acl', column: 'org_id', inserts: true },
  { table: 'organizations', kind: 'acl', column: 'id', inserts: false },
  { table: 'database_access_lists', kind: 'db-acl', column: 'database_id', inserts: true },
  { table: 'database_access_list_entries', kind: 'db-acl', column: 'database_id', inserts: true },
  { table: 'databases', kind: 'database', column: 'id', inserts: false },
  { table: 'datacenters', kind: 'database', column: 'database_id', inserts: true },
];

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite has one writing process, which forgets what it changes itself.
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // Notifications are sent when the transaction commits, and only if it does.
  await sql`CREATE FUNCTION orrery_cache_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      row_data jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    BEGIN
      PERFORM pg_notify(${sql.lit(CACHE_CHANNEL)}, TG_ARGV[0] || ':' || (row_data ->> TG_ARGV[1]));
      IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) ->> TG_ARGV[1]) IS DISTINCT FROM (row_data ->> TG_ARGV[1]) THEN
        PERFORM pg_notify(${sql.lit(CACHE_CHANNEL)}, TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  for (const { table, kind, column, inserts } of WATCHED) {
    const events = inserts ? 'INSERT OR UPDATE OR DELETE' : 'UPDATE OR DELETE';
    await sql`CREATE TRIGGER ${sql.id(`cache_${kind.replace('-', '_')}_${table}`)} AFTER ${sql.raw(events)} ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION orrery_cache_changed(${sql.lit(kind)}, ${sql.lit(column)})`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
