import type { Clock } from '../clock.js';

const MINUTE_MS = 60_000;
/** How many minutes of measurements each database keeps. */
export const TRAFFIC_MINUTES = 60;
// Latency samples kept per minute for percentiles; beyond this, a uniform sample replaces older ones.
const SAMPLES_PER_MINUTE = 500;

interface Bucket {
  minute: number;
  requests: number;
  errors: number;
  samplesSeen: number;
  latencies: number[];
}

export interface TrafficPoint {
  /** Start of the minute, RFC 3339. */
  at: string;
  requests: number;
  errors: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Measures each database's data-endpoint traffic per minute: requests, errors (5xx and refusals
 * other than 404) and latency percentiles. Kept in memory by each process for the last hour; nothing
 * is recorded for a database nobody has called.
 */
export class TrafficRecorder {
  readonly #buckets = new Map<string, Bucket[]>();

  constructor(private readonly clock: Clock) {}

  record(databaseId: string, statusCode: number, latencyMs: number): void {
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS) * MINUTE_MS;
    const buckets = this.#buckets.get(databaseId) ?? [];
    let bucket = buckets.at(-1);
    if (!bucket || bucket.minute !== minute) {
      bucket = { minute, requests: 0, errors: 0, samplesSeen: 0, latencies: [] };
      buckets.push(bucket);
      while (buckets.length > TRAFFIC_MINUTES || buckets[0]!.minute <= minute - TRAFFIC_MINUTES * MINUTE_MS)
        buckets.shift();
    }
    bucket.requests += 1;
    if (statusCode >= 500 || statusCode === 401 || statusCode === 403 || statusCode === 429) bucket.errors += 1;
    bucket.samplesSeen += 1;
    if (bucket.latencies.length < SAMPLES_PER_MINUTE) bucket.latencies.push(latencyMs);
    else {
      const slot = Math.floor(Math.random() * bucket.samplesSeen);
      if (slot < SAMPLES_PER_MINUTE) bucket.latencies[slot] = latencyMs;
    }
    this.#buckets.set(databaseId, buckets);
  }

  /** The last hour's minutes that saw traffic, oldest first; empty when none was recorded. */
  points(databaseId: string): TrafficPoint[] {
    const since = this.clock.now().getTime() - TRAFFIC_MINUTES * MINUTE_MS;
    return (this.#buckets.get(databaseId) ?? [])
      .filter((b) => b.minute > since)
      .map((b) => {
        const sorted = [...b.latencies].sort((x, y) => x - y);
        return {
          at: new Date(b.minute).toISOString(),
          requests: b.requests,
          errors: b.errors,
          latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) },
        };
      });
  }

  forget(databaseId: string): void {
    this.#buckets.delete(databaseId);
  }
}
