import { sql } from 'kysely';
import pg from 'pg';
import type { TestServer } from './server.js';

/**
 * Makes a test server's store refuse every write while it still answers reads, as a read-only file
 * system or a PostgreSQL standby after a failover does. On SQLite through the server's own connection;
 * on PostgreSQL for new sessions of its database, ending the current ones so that the pool reconnects.
 */
export async function setStoreReadOnly(server: TestServer, readOnly: boolean): Promise<void> {
  const url = server.store.databaseUrl;
  if (!url) {
    await sql.raw(`PRAGMA query_only = ${readOnly ? 'ON' : 'OFF'}`).execute(server.app.store.db);
    return;
  }
  const database = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${database} SET default_transaction_read_only = ${readOnly ? 'on' : 'off'}`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
  } finally {
    await admin.end();
  }
}
