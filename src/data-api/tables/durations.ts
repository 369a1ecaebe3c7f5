/**
 * Durations are months, days and nanoseconds, all of one sign, as in CQL. Clients send them in the
 * short form (`1mo2d3h`, what astra-db-ts writes) or ISO-8601 (`P1M2DT3H`, `P2W`); the response
 * carries the ISO-8601 form (`P1Y2M3DT4H5M6.000000007S`), which is also the stored canonical text.
 */
const NS = { h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };
const MAX_INT = 2_147_483_647n;
const MAX_LONG = 9_223_372_036_854_775_807n;

interface Parts {
  months: bigint;
  days: bigint;
  nanos: bigint;
}

export function durationFromWire(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const parts = body.startsWith('P') ? iso(body) : short(body);
  if (!parts) throw new Error(`"${text}" is not a duration (such as 1h30m or PT1H30M)`);
  if (parts.months > MAX_INT || parts.days > MAX_INT || parts.nanos > MAX_LONG)
    throw new Error(`"${text}" is out of range for a duration`);
  return durationText(parts, negative);
}

function short(body: string): Parts | undefined {
  const unit = /(\d+)(mo|ms|us|µs|ns|y|w|d|h|m|s)/giy;
  const parts: Parts = { months: 0n, days: 0n, nanos: 0n };
  let matched = 0;
  let match;
  while ((match = unit.exec(body))) {
    matched = unit.lastIndex;
    add(parts, BigInt(match[1]!), match[2]!.toLowerCase().replace('µs', 'us'));
  }
  return body !== '' && matched === body.length ? parts : undefined;
}

function iso(body: string): Parts | undefined {
  const match =
    /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,9}))?S)?)?$/.exec(body);
  if (!match || body === 'P' || body.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s, fraction] = match.map((g) => (g === undefined ? undefined : g));
  const parts: Parts = { months: 0n, days: 0n, nanos: 0n };
  const n = (g: string | undefined) => BigInt(g ?? '0');
  add(parts, n(y), 'y');
  add(parts, n(mo), 'mo');
  add(parts, n(w), 'w');
  add(parts, n(d), 'd');
  add(parts, n(h), 'h');
  add(parts, n(mi), 'm');
  add(parts, n(s), 's');
  add(parts, BigInt((fraction ?? '').padEnd(9, '0') || '0'), 'ns');
  return parts;
}

function add(parts: Parts, n: bigint, unit: string): void {
  if (unit === 'y') parts.months += n * 12n;
  else if (unit === 'mo') parts.months += n;
  else if (unit === 'w') parts.days += n * 7n;
  else if (unit === 'd') parts.days += n;
  else parts.nanos += n * NS[unit as keyof typeof NS];
}

function durationText({ months, days, nanos }: Parts, negative: boolean): string {
  if (months === 0n && days === 0n && nanos === 0n) return 'PT0S';
  let text = negative ? '-P' : 'P';
  if (months / 12n) text += `${months / 12n}Y`;
  if (months % 12n) text += `${months % 12n}M`;
  if (days) text += `${days}D`;
  if (nanos) {
    text += 'T';
    const [h, m, s, ns] = [nanos / NS.h, (nanos % NS.h) / NS.m, (nanos % NS.m) / NS.s, nanos % NS.s];
    if (h) text += `${h}H`;
    if (m) text += `${m}M`;
    if (s || ns) text += ns ? `${s}.${String(ns).padStart(9, '0')}S` : `${s}S`;
  }
  return text;
}
