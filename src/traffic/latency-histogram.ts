/**
 * Latencies counted in buckets 25% wide, from 0.1 ms up: counts from several processes add up, which
 * samples of latencies would not. A percentile is read as the upper bound of the bucket it falls in, so
 * it is at most 25% above the true value.
 */
const SMALLEST_MS = 0.1;
const GROWTH = 1.25;
const LAST_BUCKET = 80;

export type LatencyCounts = Record<number, number>;

export function bucketOf(latencyMs: number): number {
  if (!(latencyMs > SMALLEST_MS)) return 0;
  return Math.min(LAST_BUCKET, Math.ceil(Math.log(latencyMs / SMALLEST_MS) / Math.log(GROWTH)));
}

function upperBound(bucket: number): number {
  return Math.round(SMALLEST_MS * GROWTH ** bucket * 100) / 100;
}

export function addCounts(into: LatencyCounts, from: LatencyCounts): void {
  for (const [bucket, count] of Object.entries(from)) into[Number(bucket)] = (into[Number(bucket)] ?? 0) + count;
}

/** The latency at or under which p% of the counted requests fell; 0 when none were counted. */
export function percentile(counts: LatencyCounts, p: number): number {
  const buckets = Object.entries(counts)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return upperBound(bucket);
  }
  return upperBound(buckets.at(-1)![0]);
}
