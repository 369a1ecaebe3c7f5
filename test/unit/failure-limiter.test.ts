import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ApiError } from '../../src/http/errors.js';
import { FailureLimiter } from '../../src/security/failure-limiter.js';

// Written against the limiter's public behaviour: failures per key within a window, a 429 with
// Retry-After while limited, and the check not run while limited.
const fail = () => Promise.resolve(undefined);
const succeed = () => Promise.resolve('ok');

async function refusal(promise: Promise<unknown>): Promise<ApiError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as ApiError;
  }
}

describe('FailureLimiter', () => {
  const setUp = (maxKeys?: number) => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    return { clock, limiter: new FailureLimiter(clock, { maxFailures: 3, windowMs: 60_000, maxKeys }) };
  };

  it('runs the check and returns its result', async () => {
    const { limiter } = setUp();
    expect(await limiter.attempt('k', succeed)).toBe('ok');
    expect(await limiter.attempt('k', fail)).toBeUndefined();
  });

  it('refuses a key after its allowed failures, without running the check, with Retry-After', async () => {
    const { clock, limiter } = setUp();
    for (let i = 0; i < 3; i++) expect(await limiter.attempt('k', fail)).toBeUndefined();
    clock.advance(20_500);
    let ran = false;
    const error = await refusal(limiter.attempt('k', () => ((ran = true), Promise.resolve('ok'))));
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.statusCode).toBe(429);
    // 39.5 seconds are left in the window; Retry-After rounds up.
    expect(error!.headers).toEqual({ 'retry-after': '40' });
  });

  it('lets the key try again once the window has passed, and not a moment before', async () => {
    const { clock, limiter } = setUp();
    for (let i = 0; i < 3; i++) await limiter.attempt('k', fail);
    clock.advance(59_999);
    expect((await refusal(limiter.attempt('k', succeed)))?.headers).toEqual({ 'retry-after': '1' });
    clock.advance(1);
    expect(await limiter.attempt('k', succeed)).toBe('ok');
    // A fresh window: three more failures are allowed.
    for (let i = 0; i < 3; i++) expect(await limiter.attempt('k', fail)).toBeUndefined();
    expect((await refusal(limiter.attempt('k', succeed)))?.statusCode).toBe(429);
  });

  it('counts failures only, and each key on its own', async () => {
    const { limiter } = setUp();
    for (let i = 0; i < 10; i++) await limiter.attempt('k', succeed);
    await limiter.attempt('k', fail);
    await limiter.attempt('k', fail);
    expect(await limiter.attempt('k', succeed)).toBe('ok');
    await limiter.attempt('other', fail);
    await limiter.attempt('other', fail);
    await limiter.attempt('other', fail);
    expect((await refusal(limiter.attempt('other', succeed)))?.statusCode).toBe(429);
    expect(await limiter.attempt('k', succeed)).toBe('ok');
  });

  it('keeps a window from its first failure, not its last', async () => {
    const { clock, limiter } = setUp();
    await limiter.attempt('k', fail);
    clock.advance(50_000);
    await limiter.attempt('k', fail);
    await limiter.attempt('k', fail);
    expect((await refusal(limiter.attempt('k', succeed)))?.headers).toEqual({ 'retry-after': '10' });
  });

  it('forgets the least recently failed keys beyond its bound', async () => {
    const { limiter } = setUp(2);
    for (const key of ['a', 'a', 'a', 'b', 'b', 'b']) await limiter.attempt(key, fail);
    // A third key pushes out the oldest, "a".
    await limiter.attempt('c', fail);
    expect(await limiter.attempt('a', succeed)).toBe('ok');
    expect((await refusal(limiter.attempt('b', succeed)))?.statusCode).toBe(429);
  });

  it('keeps a key that failed again as recent', async () => {
    const { limiter } = setUp(2);
    for (const key of ['a', 'a', 'b', 'b', 'b', 'a']) await limiter.attempt(key, fail);
    await limiter.attempt('c', fail);
    expect((await refusal(limiter.attempt('a', succeed)))?.statusCode).toBe(429);
    expect(await limiter.attempt('b', succeed)).toBe('ok');
  });

  it('holds 100 000 keys unless told otherwise', async () => {
    const { limiter } = setUp();
    for (let i = 0; i < 3; i++) await limiter.attempt('first', fail);
    for (let i = 0; i < 99_999; i++) await limiter.attempt(`k${i}`, fail);
    expect((await refusal(limiter.attempt('first', succeed)))?.statusCode).toBe(429);
    await limiter.attempt('one more', fail);
    expect(await limiter.attempt('first', succeed)).toBe('ok');
  });
});
