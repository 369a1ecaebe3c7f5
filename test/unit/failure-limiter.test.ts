import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ApiError } from '../../src/kernel/errors.js';
import { FailureLimiter } from '../../src/security/failure-limiter.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';

// Written against the limiter's public behaviour: failures per key within a fixed window, kept in the
// store (an in-memory SQLite here), and a 429 with Retry-After for a key past its allowance.
const opened: Kysely<Database>[] = [];

async function setUp(windowMs?: number) {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  opened.push(db);
  await migrateToLatest(db);
  const clock = new ManualClock('2026-06-01T00:00:00Z');
  return { db, clock, limiter: new FailureLimiter(db, clock, windowMs) };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as ApiError;
  }
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

describe('FailureLimiter', () => {
  it('counts failures per key, each key on its own', async () => {
    const { limiter } = await setUp();
    expect(await limiter.failures(['a', 'b'])).toBe(0);
    expect(await limiter.recordFailure(['a', 'b'])).toBe(1);
    expect(await limiter.recordFailure(['a', 'b'])).toBe(2);
    expect(await limiter.failures(['a', 'b'])).toBe(2);
    expect(await limiter.failures(['ab'])).toBe(0);
    expect(await limiter.failures(['a'])).toBe(0);
  });

  it('allows the given number of failures, then answers 429 with the seconds left in the window', async () => {
    const { clock, limiter } = await setUp();
    clock.advance(20_500);
    for (let i = 0; i < 3; i++) await limiter.countFailure(['k'], 3);
    const error = await refusal(limiter.countFailure(['k'], 3));
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.statusCode).toBe(429);
    // 39.5 seconds are left in the minute; Retry-After rounds up.
    expect(error!.headers).toEqual({ 'retry-after': '40' });
  });

  it('starts a fresh count when the window turns, and not a moment before', async () => {
    const { clock, limiter } = await setUp();
    await limiter.recordFailure(['k']);
    await limiter.recordFailure(['k']);
    clock.advance(59_999);
    expect(await limiter.failures(['k'])).toBe(2);
    expect(limiter.refusal().headers).toEqual({ 'retry-after': '1' });
    clock.advance(1);
    expect(await limiter.failures(['k'])).toBe(0);
    expect(await limiter.recordFailure(['k'])).toBe(1);
  });

  it('takes the window length it is given', async () => {
    const { clock, limiter } = await setUp(10_000);
    await limiter.recordFailure(['k']);
    clock.advance(9_999);
    expect(await limiter.failures(['k'])).toBe(1);
    clock.advance(1);
    expect(await limiter.failures(['k'])).toBe(0);
  });

  it('drops the rows of past windows, and never those of the current one', async () => {
    const { db, clock, limiter } = await setUp();
    await limiter.recordFailure(['old']);
    clock.advance(60_000);
    await limiter.recordFailure(['new']);
    clock.advance(61_000);
    await limiter.recordFailure(['newest']);
    const rows = await db.selectFrom('failure_counts').select('failures').execute();
    expect(rows).toHaveLength(1);
  });

  it('stores each count with the end of its window as its expiry, under a SHA-256 of the key', async () => {
    const { db, clock, limiter } = await setUp(10_000);
    clock.advance(20_500);
    await limiter.recordFailure(['k']);
    const rows = await db.selectFrom('failure_counts').select(['key', 'expires_at']).execute();
    expect(rows).toEqual([{ key: expect.stringMatching(/^[0-9a-f]{64}$/), expires_at: '2026-06-01T00:00:30.000Z' }]);
  });

  it('purges once a window has passed since the last purge, not on every failure', async () => {
    const { db, clock, limiter } = await setUp();
    const expiries = async () =>
      (await db.selectFrom('failure_counts').select('expires_at').orderBy('expires_at').execute()).map(
        (row) => row.expires_at,
      );
    clock.advance(30_000);
    await limiter.recordFailure(['first']); // purges at 00:00:30
    clock.advance(40_000);
    await limiter.recordFailure(['second']); // 00:01:10: the first row has expired, but no purge is due
    expect(await expiries()).toEqual(['2026-06-01T00:01:00.000Z', '2026-06-01T00:02:00.000Z']);
    clock.advance(20_000);
    await limiter.recordFailure(['third']); // 00:01:30: a window since the last purge
    expect(await expiries()).toEqual(['2026-06-01T00:02:00.000Z', '2026-06-01T00:02:00.000Z']);
  });

  it('keeps the key itself out of the store', async () => {
    const { db, limiter } = await setUp();
    await limiter.recordFailure(['token', 'AstraCS:secret-typed-as-a-username']);
    const rows = await db.selectFrom('failure_counts').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('secret-typed-as-a-username');
  });
});
