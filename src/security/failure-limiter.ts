import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { tooManyRequests, type ApiError } from '../kernel/errors.js';
import type { Database } from '../store/schema.js';

/**
 * Counts failed credential checks per key in fixed windows, in the store: every server process on
 * one PostgreSQL sees the same counts. The embedded SQLite store has a single process and could count
 * in memory, but it keeps its counts the same way, so both stores behave alike and counts survive a
 * restart. Only failures are written.
 *
 * The limiter decides nothing by itself: callers say what a key is and how many failures it may have.
 */
export class FailureLimiter {
  #lastPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  /** Failures counted for the key in the current window. */
  async failures(key: readonly string[]): Promise<number> {
    const row = await this.db
      .selectFrom('failure_counts')
      .select('failures')
      .where('key', '=', hashKey(key))
      .where('window_index', '=', this.#window())
      .executeTakeFirst();
    return row ? Number(row.failures) : 0;
  }

  /** Counts one failure against the key and returns the window's count, this one included. */
  async recordFailure(key: readonly string[]): Promise<number> {
    await this.#purgeNowAndThen();
    const window = this.#window();
    const row = await this.db
      .insertInto('failure_counts')
      .values({
        key: hashKey(key),
        window_index: window,
        failures: 1,
        expires_at: new Date((window + 1) * this.windowMs).toISOString(),
      })
      .onConflict((oc) =>
        oc.columns(['key', 'window_index']).doUpdateSet((eb) => ({ failures: eb('failure_counts.failures', '+', 1) })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  /**
   * Counts a failure; once the key has more than `allowed` failures in the window, the caller hears
   * 429 with Retry-After instead of the failure itself.
   */
  async countFailure(key: readonly string[], allowed: number): Promise<void> {
    if ((await this.recordFailure(key)) > allowed) throw this.refusal();
  }

  /** The 429 for a limited key, with the seconds until its window ends. */
  refusal(): ApiError {
    const now = this.clock.now().getTime();
    return tooManyRequests(((this.#window() + 1) * this.windowMs - now) / 1000);
  }

  #window(): number {
    return Math.floor(this.clock.now().getTime() / this.windowMs);
  }

  /** Rows of past windows are dropped about once a window, by whichever process counts a failure. */
  async #purgeNowAndThen(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.#lastPurge < this.windowMs) return;
    this.#lastPurge = now;
    await this.db.deleteFrom('failure_counts').where('expires_at', '<=', new Date(now).toISOString()).execute();
  }
}

/** Keys are hashed: they may hold what a caller typed as a username, which is sometimes a password. */
function hashKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
