import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../store/schema.js';
import { addCounts, bucketOf, percentile, type LatencyCounts } from './latency-histogram.js';
import { TrafficStore, type MinuteRow } from './traffic-store.js';

const MINUTE_MS = 60_000;
/** How many minutes of measurements each database keeps. */
export const TRAFFIC_MINUTES = 60;
/** How often a process writes its latest counts to the store, for the other processes to read. */
export const FLUSH_EVERY_MS = 5_000;

interface Bucket {
  minute: number;
  requests: number;
  errors: number;
  latencyCounts: LatencyCounts;
  /** Changed since it was last written to the store. */
  dirty: boolean;
}

export interface TrafficPoint {
  /** Start of the minute, RFC 3339. */
  at: string;
  requests: number;
  errors: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

/**
 * Measures each database's data-endpoint traffic per minute: requests, errors (5xx and refusals
 * other than 404) and a latency histogram. Each process counts its own requests in memory and writes
 * its counts to the store every few seconds (and before answering a read), so a chart adds up the
 * traffic every process on the same store served. Nothing is recorded for a database nobody called.
 */
export class TrafficRecorder {
  readonly #processId = randomUUID();
  readonly #buckets = new Map<string, Bucket[]>();
  readonly #store: TrafficStore;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; log: Pick<FastifyBaseLogger, 'error'> }) {
    this.#store = new TrafficStore(deps.db);
  }

  record(databaseId: string, statusCode: number, latencyMs: number): void {
    const minute = Math.floor(this.deps.clock.now().getTime() / MINUTE_MS) * MINUTE_MS;
    const buckets = this.#buckets.get(databaseId) ?? [];
    let bucket = buckets.at(-1);
    if (!bucket || bucket.minute !== minute) {
      bucket = { minute, requests: 0, errors: 0, latencyCounts: {}, dirty: true };
      buckets.push(bucket);
      while (buckets.length > TRAFFIC_MINUTES || buckets[0]!.minute <= minute - TRAFFIC_MINUTES * MINUTE_MS)
        buckets.shift();
    }
    bucket.requests += 1;
    if (statusCode >= 500 || statusCode === 401 || statusCode === 403 || statusCode === 429) bucket.errors += 1;
    addCounts(bucket.latencyCounts, { [bucketOf(latencyMs)]: 1 });
    bucket.dirty = true;
    this.#buckets.set(databaseId, buckets);
  }

  /** Writes this process's changed minutes to the store, and drops every process's minutes past the window. */
  flush(): Promise<void> {
    // One flush at a time, so that an older write never lands after a newer one.
    this.#flushing = this.#flushing.catch(() => undefined).then(() => this.#flushNow());
    return this.#flushing;
  }

  async #flushNow(): Promise<void> {
    const changed: { bucket: Bucket; row: MinuteRow }[] = [];
    for (const [databaseId, buckets] of this.#buckets) {
      for (const bucket of buckets.filter((b) => b.dirty)) {
        bucket.dirty = false;
        const { minute, requests, errors, latencyCounts } = bucket;
        const row = { databaseId, minute: new Date(minute).toISOString(), requests, errors, latencyCounts };
        changed.push({ bucket, row: structuredClone(row) });
      }
    }
    try {
      await this.#store.save(
        this.#processId,
        changed.map((c) => c.row),
      );
      await this.#store.deleteBefore(this.#windowStart());
    } catch (error) {
      for (const { bucket } of changed) bucket.dirty = true;
      throw error;
    }
  }

  /** The last hour's minutes that saw traffic on any process, oldest first; empty when none was recorded. */
  async points(databaseId: string): Promise<TrafficPoint[]> {
    await this.flush();
    const minutes = new Map<string, { requests: number; errors: number; latencyCounts: LatencyCounts }>();
    for (const row of await this.#store.since(databaseId, this.#windowStart())) {
      const sum = minutes.get(row.minute) ?? { requests: 0, errors: 0, latencyCounts: {} };
      sum.requests += row.requests;
      sum.errors += row.errors;
      addCounts(sum.latencyCounts, row.latencyCounts);
      minutes.set(row.minute, sum);
    }
    return [...minutes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([at, sum]) => ({
        at,
        requests: sum.requests,
        errors: sum.errors,
        latencyMs: {
          p50: percentile(sum.latencyCounts, 50),
          p95: percentile(sum.latencyCounts, 95),
          p99: percentile(sum.latencyCounts, 99),
        },
      }));
  }

  /** Writes this process's counts every few seconds, so other processes' charts stay current. */
  start(everyMs = FLUSH_EVERY_MS): void {
    this.#timer = setInterval(() => {
      this.flush().catch((error: unknown) =>
        this.deps.log.error({ err: error }, 'traffic measurements could not be written; retried later'),
      );
    }, everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush().catch(() => undefined);
  }

  #windowStart(): string {
    return new Date(this.deps.clock.now().getTime() - TRAFFIC_MINUTES * MINUTE_MS).toISOString();
  }
}
