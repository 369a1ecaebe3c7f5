import type { Clock } from '../clock.js';
import { tooManyRequests } from '../http/errors.js';

export interface LimiterOptions {
  /** Failures allowed per key within one window. */
  maxFailures: number;
  windowMs: number;
  /** Bound on memory: the oldest keys are dropped past this many. */
  maxKeys?: number;
}

/**
 * Counts failed attempts per key (a source address, a username) in fixed windows. Only failures
 * count, so valid traffic is never slowed; a limited key is refused before its credential is
 * checked, so a guess cannot be confirmed while limited. Each process keeps its own counts.
 */
export class FailureLimiter {
  readonly #windows = new Map<string, { start: number; failures: number }>();
  readonly #maxKeys: number;

  constructor(
    private readonly clock: Clock,
    private readonly options: LimiterOptions,
  ) {
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** Seconds until the key may try again, or 0 when it is not limited. */
  #retryAfter(key: string): number {
    const window = this.#current(key);
    if (!window || window.failures < this.options.maxFailures) return 0;
    return (window.start + this.options.windowMs - this.clock.now().getTime()) / 1000;
  }

  /**
   * Runs a credential check for a key: refused with 429 while the key is limited, and counted as a
   * failure when it yields nothing.
   */
  async attempt<T>(key: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const wait = this.#retryAfter(key);
    if (wait > 0) throw tooManyRequests(wait);
    const result = await check();
    if (result === undefined) this.#recordFailure(key);
    return result;
  }

  #recordFailure(key: string): void {
    const window = this.#current(key) ?? { start: this.clock.now().getTime(), failures: 0 };
    window.failures += 1;
    this.#windows.delete(key);
    this.#windows.set(key, window);
    if (this.#windows.size > this.#maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
  }

  #current(key: string) {
    const window = this.#windows.get(key);
    if (window && this.clock.now().getTime() - window.start >= this.options.windowMs) {
      this.#windows.delete(key);
      return undefined;
    }
    return window;
  }
}
