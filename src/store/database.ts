import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { StartupError } from '../startup-error.js';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';
import { describeFault, storeFaultOf } from './store-faults.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for the start-up line; never includes a password. */
  location: string;
  /** Closes the store's connections and releases the data directory. */
  close(): Promise<void>;
}

type StoreConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'storeTimeoutMs'>;

/** Opens the configured store: PostgreSQL when a URL is set, otherwise SQLite in the data directory. */
export function openStore(config: StoreConfig, log: Pick<FastifyBaseLogger, 'warn'>): Store {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.storeTimeoutMs, log) : openSqlite(config.dataDir);
}

function openPostgres(databaseUrl: string, timeoutMs: number, log: Pick<FastifyBaseLogger, 'warn'>): Store {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // Bounded waits, so that a stalled PostgreSQL fails requests with a 503 instead of hanging them.
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection that PostgreSQL drops (a restart, a failover) is reported here; without a
  // listener the error would end the process. The pool replaces the connection on the next request.
  pool.on('error', (error) =>
    log.warn({ cause: describeFault(error) }, 'lost an idle PostgreSQL connection; it will be replaced'),
  );
  const url = new URL(databaseUrl);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: `postgres://${url.host}${url.pathname}`, close: () => db.destroy() };
}

function openSqlite(dataDir: string): Store {
  // Only this user may read the store, its key files and its tokens.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(dataDir);
  const file = path.join(dataDir, 'orrery.sqlite');
  let sqlite: SQLite.Database;
  try {
    // SQLite gives its -wal and -shm files the mode of the database file, so creating it 0600 covers all three.
    closeSync(openSync(file, 'a', 0o600));
    sqlite = new SQLite(file);
  } catch (error) {
    lock.release();
    throw new StartupError(`cannot open the store ${file}: ${describeFault(error)}`, { cause: error });
  }
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the response that acknowledges it is sent.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    async close() {
      await db.destroy();
      lock.release();
    },
  };
}

/**
 * Waits until the store answers: PostgreSQL may still be starting, restarting or failing over when
 * Orrery starts. Retries with a growing pause and a log line each time, then gives up with a message
 * that names the store; a refusal that waiting cannot fix (a wrong password, an unknown database) ends it at once.
 */
export async function waitForStore(
  store: Store,
  waitSeconds: number,
  log: Pick<FastifyBaseLogger, 'warn'>,
): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let pauseMs = 500; ; pauseMs = Math.min(pauseMs * 2, 5_000)) {
    try {
      await sql`select 1`.execute(store.db);
      return;
    } catch (error) {
      const cause = describeFault(error);
      if (storeFaultOf(error) !== 'unreachable')
        throw new StartupError(`the store at ${store.location} refused the connection: ${cause}`, { cause: error });
      const left = deadline - Date.now();
      if (left <= 0)
        throw new StartupError(
          `the store at ${store.location} is unreachable (${cause}); gave up after ${waitSeconds} s (ORRERY_STORE_WAIT)`,
          { cause: error },
        );
      log.warn(
        { store: store.location, cause, retryInMs: Math.min(pauseMs, left) },
        `the store at ${store.location} is unreachable; retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, left)));
    }
  }
}

const ALREADY_ROLLED_BACK = {
  reader: false,
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
} as unknown as SQLite.Statement;

/**
 * Kysely prepares every query anew, which costs more than running it. Queries are built from a
 * fixed set of shapes, so their prepared statements are kept and reused (bounded, oldest first out).
 */
export function withStatementCache(sqlite: SQLite.Database, limit = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      // SQLite rolls a transaction back by itself when a write fails for lack of space (SQLITE_FULL) or
      // memory; Kysely's own rollback then fails and would hide the real cause from the error handler.
      if (sql === 'rollback' && !sqlite.inTransaction) return ALREADY_ROLLED_BACK;
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}
