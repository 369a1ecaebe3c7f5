import { isIP } from 'node:net';
import type { Dialect } from '../../store/database.js';
import { DataApiError } from '../data-api-errors.js';
import { blobToVector, parseVector, vectorToBlob } from '../vectors.js';
import type { ColumnType, ScalarType, UdtLookup } from './column-types.js';
import { isExactObject, isLosslessNumber, LosslessNumber, type ExactJson } from './exact-json.js';
import { durationFromWire } from './durations.js';
import { civilFromDays, daysFromCivil } from './calendar.js';

/**
 * A column value in its one canonical form: what equality compares, what collections and user-defined
 * values store as JSON, and what SQL parameters are made from. Integers beyond doubles, varints and
 * decimals are their exact decimal text; non-finite floats are "NaN", "Infinity", "-Infinity"; dates
 * are days since 1970-01-01, times nanoseconds of the day, timestamps milliseconds since the epoch,
 * blobs base64, durations their ISO-8601 text.
 */
export type Canon = string | number | boolean | Canon[] | { [field: string]: Canon } | Float32Array;

/** A value a column cannot hold; the command turns it into its own error (insert, filter or update). */
export class InvalidValue extends Error {}

const INTEGER_RANGES: Partial<Record<ScalarType, [bigint, bigint]>> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
  counter: [-9223372036854775808n, 9223372036854775807n],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^([+-]?)(\d{4,})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TIMESTAMP = /^([+-]?\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY_MS = 86_400_000;

/** The canonical form of a value sent for a column; null for a null (or empty collection). */
export function toCanon(type: ColumnType, value: ExactJson | undefined, udts: UdtLookup): Canon | null {
  if (value === null || value === undefined) return null;
  switch (type.type) {
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) throw new InvalidValue(`a ${type.type} must be a JSON array`);
      const items = value.map((item) => element(type.valueType, item, udts));
      if (items.length === 0) return null;
      return type.type === 'list' ? items : sortUnique(type.valueType, items);
    }
    case 'map': {
      const pairs = mapPairs(value).map(([k, v]): Canon => [
        element(type.keyType, k, udts),
        element(type.valueType, v, udts),
      ]);
      if (pairs.length === 0) return null;
      return sortUnique(type.keyType, pairs, (pair) => (pair as Canon[])[0]!);
    }
    case 'vector': {
      const plain = Array.isArray(value) ? value.map((n) => (isLosslessNumber(n) ? Number(n.value) : n)) : value;
      let vector: Float32Array;
      try {
        vector = parseVector(plain as never, 'document');
      } catch (error) {
        if (error instanceof DataApiError) throw new InvalidValue(error.message);
        throw error;
      }
      if (vector.length !== type.dimension)
        throw new InvalidValue(`the vector has ${vector.length} dimensions, the column ${type.dimension}`);
      return vector;
    }
    case 'userDefined': {
      const udt = udts(type.udtName);
      if (!isExactObject(value) || !udt) throw new InvalidValue(`a ${type.udtName} value must be a JSON object`);
      const fields: Record<string, Canon> = {};
      for (const [name, fieldValue] of Object.entries(value)) {
        const fieldType = udt.fields[name];
        if (!fieldType) throw new InvalidValue(`type ${type.udtName} has no field ${name}`);
        const canon = toCanon(fieldType, fieldValue, udts);
        if (canon !== null) fields[name] = canon;
      }
      return fields;
    }
    default:
      return scalar(type.type, value);
  }
}

function element(type: ColumnType, value: ExactJson | undefined, udts: UdtLookup): Canon {
  const canon = toCanon(type, value, udts);
  if (canon === null) throw new InvalidValue('collections cannot hold nulls');
  return canon;
}

/** A map as sent: an object (its keys are text, or the text of numbers and other scalars) or an array of pairs. */
function mapPairs(value: ExactJson): [ExactJson, ExactJson][] {
  if (Array.isArray(value)) {
    return value.map((pair) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new InvalidValue('a map given as an array holds [key, value] pairs');
      return [pair[0]!, pair[1]!];
    });
  }
  if (!isExactObject(value)) throw new InvalidValue('a map must be a JSON object or an array of [key, value] pairs');
  return Object.entries(value);
}

function scalar(type: ScalarType, value: ExactJson): Canon {
  switch (type) {
    case 'text':
    case 'varchar':
      return text(value);
    case 'ascii': {
      const s = text(value);
      // eslint-disable-next-line no-control-regex
      if (!/^[\x00-\x7f]*$/.test(s)) throw new InvalidValue('ascii text holds only US-ASCII characters');
      return s;
    }
    case 'tinyint':
    case 'smallint':
    case 'int': {
      const n = integer(type, value);
      return Number(n);
    }
    case 'bigint':
    case 'counter':
    case 'varint':
      return integer(type, value).toString();
    case 'decimal': {
      const digits = numberText(value);
      if (digits === undefined) throw new InvalidValue('a decimal must be a JSON number');
      const exponent = Number(/[eE]([+-]?\d+)$/.exec(digits)?.[1] ?? 0);
      if (digits.length > MAX_NUMBER_TEXT || Math.abs(exponent) > MAX_EXPONENT)
        throw new InvalidValue(
          `a decimal has at most ${MAX_NUMBER_TEXT} characters and an exponent within ±${MAX_EXPONENT}`,
        );
      return digits;
    }
    case 'float':
    case 'double': {
      const n = floating(value);
      if (typeof n === 'string') return n;
      return type === 'float' ? Math.fround(n) : n;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidValue('a boolean must be true or false');
      return value;
    case 'date':
      return date(text(value));
    case 'time':
      return time(text(value));
    case 'timestamp':
      return timestamp(value);
    case 'duration':
      try {
        return durationFromWire(text(value));
      } catch (error) {
        throw new InvalidValue((error as Error).message);
      }
    case 'uuid':
    case 'timeuuid': {
      const s = text(value).toLowerCase();
      if (!UUID.test(s)) throw new InvalidValue(`"${s}" is not a UUID`);
      if (type === 'timeuuid' && s[14] !== '1') throw new InvalidValue(`"${s}" is not a time-based (version 1) UUID`);
      return s;
    }
    case 'inet': {
      const s = text(value).toLowerCase();
      if (isIP(s) === 0) throw new InvalidValue(`"${s}" is not an IPv4 or IPv6 address`);
      return s;
    }
    case 'blob': {
      if (!isExactObject(value) || typeof value.$binary !== 'string' || Object.keys(value).length !== 1)
        throw new InvalidValue('a blob must be {"$binary": "<base64>"}');
      if (!BASE64.test(value.$binary)) throw new InvalidValue('$binary must be base64 text');
      return value.$binary;
    }
  }
}

function text(value: ExactJson): string {
  if (typeof value !== 'string') throw new InvalidValue('expected a JSON string');
  // PostgreSQL text cannot hold NUL, so neither store takes it.
  if (value.includes('\u0000')) throw new InvalidValue('text cannot hold the NUL character');
  return value;
}

/** Longest number text a varint or decimal column takes, and the largest decimal exponent. */
const MAX_NUMBER_TEXT = 1000;
const MAX_EXPONENT = 1000;

/** The decimal text of a number sent as a JSON number (or, in map keys, as the text of one). */
function numberText(value: ExactJson): string | undefined {
  if (isLosslessNumber(value)) return value.value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return value;
  return undefined;
}

/** An exact integer from a number's text, when it is one (1.0 and 1e3 are, 1.5 is not). */
function integer(type: ScalarType, value: ExactJson): bigint {
  const digits = numberText(value);
  const match = digits && /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(digits);
  if (!match) throw new InvalidValue(`a ${type} must be a whole JSON number`);
  if (digits.length > MAX_NUMBER_TEXT) throw new InvalidValue(`a ${type} has at most ${MAX_NUMBER_TEXT} characters`);
  const [, sign, whole, fraction = '', exp = '0'] = match;
  const exponent = Number(exp);
  if (Math.abs(exponent) > MAX_EXPONENT) throw new InvalidValue(`${digits} is out of range for ${type}`);
  let mantissa = whole! + fraction;
  let scale = fraction.length - exponent;
  while (scale > 0 && mantissa.endsWith('0')) {
    mantissa = mantissa.slice(0, -1);
    scale--;
  }
  if (scale > 0) throw new InvalidValue(`a ${type} must be a whole number; ${digits} is not`);
  const n = BigInt(sign + mantissa + '0'.repeat(-scale));
  const range = INTEGER_RANGES[type];
  if (range && (n < range[0] || n > range[1]))
    throw new InvalidValue(`${digits} is out of range for ${type} (${range[0]} to ${range[1]})`);
  return n;
}

function floating(value: ExactJson): number | string {
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  const digits = numberText(value);
  if (digits === undefined || typeof value === 'string')
    throw new InvalidValue('expected a JSON number, or "NaN", "Infinity" or "-Infinity"');
  const n = Number(digits);
  return Number.isFinite(n) ? n : n > 0 ? 'Infinity' : '-Infinity';
}

function date(value: string): number {
  const match = DATE.exec(value);
  if (!match) throw new InvalidValue(`"${value}" is not a date (YYYY-MM-DD)`);
  const year = Number(match[2]) * (match[1] === '-' ? -1 : 1);
  return checkedDays(year, Number(match[3]), Number(match[4]), value);
}

function checkedDays(year: number, month: number, day: number, value: string): number {
  const days = daysFromCivil(year, month, day);
  const [y, m, d] = civilFromDays(days);
  if (y !== year || m !== month || d !== day) throw new InvalidValue(`"${value}" is not a calendar date`);
  return days;
}

function time(value: string): number {
  const match = TIME.exec(value);
  if (!match) throw new InvalidValue(`"${value}" is not a time (HH:MM:SS.nnnnnnnnn)`);
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (h > 23 || m > 59 || s > 59) throw new InvalidValue(`"${value}" is not a time of day`);
  return ((h * 60 + m) * 60 + s) * 1e9 + Number((match[4] ?? '').padEnd(9, '0'));
}

/** Milliseconds since the epoch, from an ISO-8601 text with its offset or a whole number of milliseconds. */
function timestamp(value: ExactJson): number {
  if (isLosslessNumber(value)) return inTimestampRange(Number(integer('bigint', value)), value.value);
  const s = text(value);
  const match = TIMESTAMP.exec(s);
  if (!match)
    throw new InvalidValue(`"${s}" is not a timestamp (ISO-8601 with an offset, such as 2025-01-31T12:00:00.000Z)`);
  const [, y, mo, d, h, mi, sec = '0', fraction = '', zone] = match;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) throw new InvalidValue(`"${s}" is not a time of day`);
  const days = checkedDays(Number(y), Number(mo), Number(d), s);
  const offsetMs =
    zone === 'Z'
      ? 0
      : (zone![0] === '-' ? -1 : 1) * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(-2))) * 60_000;
  return inTimestampRange(
    days * DAY_MS +
      ((Number(h) * 60 + Number(mi)) * 60 + Number(sec)) * 1000 +
      Number(fraction.padEnd(3, '0').slice(0, 3)) -
      offsetMs,
    s,
  );
}

/** JavaScript dates span ±8.64e15 ms, which the response's ISO-8601 text needs. */
function inTimestampRange(ms: number, value: string): number {
  if (Math.abs(ms) > 8.64e15)
    throw new InvalidValue(`${value} is beyond the timestamps this server keeps (years ±275,000)`);
  return ms;
}

/** Orders values of one type as the store orders them (numbers by value, text by code point). */
export function compareCanon(a: Canon, b: Canon): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const [x, y] = [Number(a), Number(b)];
    if (!Number.isNaN(x) && !Number.isNaN(y) && x !== y) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortUnique(_type: ColumnType, items: Canon[], key: (item: Canon) => Canon = (item) => item): Canon[] {
  const sorted = [...items].sort((a, b) => compareCanon(key(a), key(b)));
  return sorted.filter((item, i) => i === 0 || compareCanon(key(item), key(sorted[i - 1]!)) !== 0);
}

/** The SQL parameter a canonical value is stored as. */
export function toSql(type: ColumnType, canon: Canon | null, dialect: Dialect): unknown {
  if (canon === null) return null;
  switch (type.type) {
    case 'bigint':
    case 'counter':
      return dialect === 'sqlite' ? BigInt(canon as string) : canon;
    case 'boolean':
      return canon ? 1 : 0;
    case 'blob':
      return Buffer.from(canon as string, 'base64');
    case 'vector':
      return dialect === 'sqlite' ? vectorToBlob(canon as Float32Array) : Array.from(canon as Float32Array);
    case 'float':
    case 'double':
      // SQLite keeps NaN as text, which it orders after every number, as Cassandra orders NaN.
      return typeof canon === 'string' && canon !== 'NaN' ? Number(canon) : canon;
    case 'list':
    case 'set':
    case 'map':
    case 'userDefined':
      return JSON.stringify(canon);
    default:
      return canon;
  }
}

/** The canonical value of a stored column, as the SELECT of table-rows.ts reads it. */
export function fromSql(type: ColumnType, raw: unknown): Canon | null {
  if (raw === null || raw === undefined) return null;
  switch (type.type) {
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'date':
    case 'time':
    case 'timestamp':
      return Number(raw);
    case 'bigint':
    case 'counter':
    case 'varint':
    case 'decimal':
      return typeof raw === 'string' ? raw : (raw as number | bigint).toString();
    case 'float':
    case 'double': {
      const n = typeof raw === 'string' ? Number(raw) : (raw as number);
      return Number.isFinite(n) ? n : String(n);
    }
    case 'boolean':
      return raw === true || Number(raw) === 1;
    case 'blob':
      return Buffer.from(raw as Uint8Array).toString('base64');
    case 'vector':
      return Array.isArray(raw) ? Float32Array.from(raw as number[]) : blobToVector(raw as Uint8Array);
    case 'list':
    case 'set':
    case 'map':
    case 'userDefined':
      return JSON.parse(raw as string) as Canon;
    default:
      return raw as string;
  }
}

/** A canonical value as the response carries it. */
export function toWire(type: ColumnType, canon: Canon, udts: UdtLookup): unknown {
  switch (type.type) {
    case 'bigint':
    case 'counter':
    case 'varint':
    case 'decimal':
      return new LosslessNumber(canon as string);
    case 'float':
      return typeof canon === 'number' ? shortestFloat32(canon) : canon;
    case 'date': {
      const [y, m, d] = civilFromDays(canon as number);
      const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : y > 9999 ? `+${y}` : String(y).padStart(4, '0');
      return `${year}-${pad(m)}-${pad(d)}`;
    }
    case 'time':
      return timeText(canon as number);
    case 'timestamp':
      return new Date(canon as number).toISOString();
    case 'blob':
      return { $binary: canon };
    case 'vector':
      return Array.from(canon as Float32Array, shortestFloat32);
    case 'list':
    case 'set':
      return (canon as Canon[]).map((item) => toWire(type.valueType, item, udts));
    case 'map': {
      const pairs = (canon as Canon[][]).map(([k, v]) => [
        toWire(type.keyType, k!, udts),
        toWire(type.valueType, v!, udts),
      ]);
      const textKeys = type.keyType.type === 'text' || type.keyType.type === 'ascii' || type.keyType.type === 'varchar';
      return textKeys ? Object.fromEntries(pairs) : pairs;
    }
    case 'userDefined': {
      const fields = udts(type.udtName)?.fields ?? {};
      return Object.fromEntries(
        Object.entries(canon as Record<string, Canon>)
          .filter(([name]) => fields[name])
          .map(([name, value]) => [name, toWire(fields[name]!, value, udts)]),
      );
    }
    default:
      return canon;
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** HH:MM:SS, with the fraction of the second in groups of three digits when it has one. */
function timeText(nanos: number): string {
  const seconds = Math.floor(nanos / 1e9);
  const fraction = nanos - seconds * 1e9;
  const base = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  if (fraction === 0) return base;
  const digits = pad(fraction, 9);
  return `${base}.${digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits}`;
}

/** The shortest decimal that reads back as the same float32, as Java prints a float. */
function shortestFloat32(n: number): number {
  if (!Number.isFinite(n)) return n;
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(n.toPrecision(precision));
    if (Math.fround(candidate) === n) return candidate;
  }
  return n;
}
