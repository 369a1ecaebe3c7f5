import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { CACHE_CHANNEL } from './migrations/060-cache-notifications.js';
import type { ReadCache } from './read-cache.js';
import { describeFault } from './store-faults.js';

/** A cached entry on PostgreSQL is never older than this, whatever became of the change notices. */
export const POSTGRES_CACHE_MAX_AGE_MS = 1_000;
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 2_000;

export interface CacheNotificationsDeps {
  databaseUrl: string;
  cache: ReadCache;
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>;
}

/**
 * Keeps this process's read cache true to a PostgreSQL that other processes write too. One dedicated
 * connection LISTENs on the channel that the store's triggers notify when a cached row changes (the
 * notice names the cache key, and is sent at commit); each notice forgets that key here. While the
 * connection is down, notices may be missed, so the cache is suspended (every read goes to the store);
 * once listening again it resumes empty.
 */
export class CacheNotifications {
  #client: pg.Client | undefined;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #delayMs = RECONNECT_FIRST_MS;

  constructor(private readonly deps: CacheNotificationsDeps) {
    deps.cache.suspend();
  }

  /** Connects and listens; when that fails the cache stays suspended and connecting is retried. */
  async start(): Promise<void> {
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.deps.cache.suspend();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.deps.databaseUrl,
      application_name: 'orrery-cache-listener',
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.deps.cache.suspend();
      if (this.#client === client) this.#client = undefined;
      void client.end().catch(() => undefined);
      if (this.#stopped) return;
      this.deps.log.warn(
        { cause: error ? describeFault(error) : 'closed' },
        'lost the PostgreSQL connection that carries cache notices; reading from the store until it is back',
      );
      this.#retry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === CACHE_CHANNEL && message.payload) this.deps.cache.forget(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.#stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#delayMs = RECONNECT_FIRST_MS;
    // Anything may have changed while nobody listened.
    this.deps.cache.resume();
  }

  #retry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#connect(), this.#delayMs);
    this.#retryTimer.unref();
    this.#delayMs = Math.min(this.#delayMs * 2, RECONNECT_MAX_MS);
  }
}

/**
 * Tells every process on the PostgreSQL to forget a cached key when the transaction `db` belongs to
 * commits (at once when it is not a transaction), for changes no trigger sees, such as a data store's schema.
 */
export async function announceChange(db: Kysely<unknown>, key: string): Promise<void> {
  await sql`SELECT pg_notify(${CACHE_CHANNEL}, ${key})`.execute(db);
}
