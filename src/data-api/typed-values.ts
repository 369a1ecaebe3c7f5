import { createHash } from 'node:crypto';
import { fail } from './data-api-errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * How a value is indexed: a kind and a number or a text. Kinds are numbered in sort order, so that
 * sorting by (kind, num, txt) orders mixed types the same way everywhere; sub-documents and arrays
 * sort after every scalar.
 */
export const Kind = {
  NULL: 1,
  NUMBER: 2,
  STRING: 3,
  UUID: 4,
  OBJECT_ID: 5,
  BOOLEAN: 6,
  DATE: 7,
  OBJECT: 8,
  ARRAY: 9,
  SIZE: 10,
} as const;

export interface IndexValue {
  kind: number;
  num: number | null;
  txt: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OBJECT_ID = /^[0-9a-f]{24}$/i;
const TYPED_KEYS = new Set(['$date', '$uuid', '$objectId', '$binary']);
/** Whole arrays and sub-documents longer than this are compared by a digest rather than their text. */
const INLINE_TEXT_MAX = 512;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"$date": ...}`, `{"$uuid": ...}`, `{"$objectId": ...}` or `{"$binary": ...}`: one of the JSON extension values. */
export function isTypedValue(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && TYPED_KEYS.has(keys[0]!);
}

/** Checks a JSON extension value and returns it in its stored form (identifiers in lower case). */
export function normalizeTyped(value: JsonObject): JsonObject {
  const [key, inner] = Object.entries(value)[0]!;
  switch (key) {
    case '$date':
      if (typeof inner !== 'number' || !Number.isInteger(inner))
        fail(
          'SHRED_BAD_EJSON_VALUE',
          `$date takes a whole number of milliseconds since the epoch, not ${JSON.stringify(inner)}.`,
        );
      return value;
    case '$uuid':
      if (typeof inner !== 'string' || !UUID.test(inner))
        fail(
          'SHRED_BAD_EJSON_VALUE',
          `$uuid takes a UUID in its 36-character text form, not ${JSON.stringify(inner)}.`,
        );
      return { $uuid: inner.toLowerCase() };
    case '$objectId':
      if (typeof inner !== 'string' || !OBJECT_ID.test(inner))
        fail('SHRED_BAD_EJSON_VALUE', `$objectId takes 24 hexadecimal digits, not ${JSON.stringify(inner)}.`);
      return { $objectId: inner.toLowerCase() };
    default:
      if (typeof inner !== 'string')
        fail('SHRED_BAD_EJSON_VALUE', `$binary takes a base64 string, not ${JSON.stringify(inner)}.`);
      return value;
  }
}

/** The index value of a scalar or a JSON extension value; undefined for arrays and plain sub-documents. */
export function scalarIndexValue(value: Json): IndexValue | undefined {
  if (value === null) return { kind: Kind.NULL, num: null, txt: null };
  switch (typeof value) {
    case 'number':
      return { kind: Kind.NUMBER, num: value, txt: null };
    case 'string':
      return { kind: Kind.STRING, num: null, txt: value };
    case 'boolean':
      return { kind: Kind.BOOLEAN, num: value ? 1 : 0, txt: null };
  }
  if (!isTypedValue(value)) return undefined;
  const typed = normalizeTyped(value);
  if ('$date' in typed) return { kind: Kind.DATE, num: typed.$date as number, txt: null };
  if ('$uuid' in typed) return { kind: Kind.UUID, num: null, txt: typed.$uuid as string };
  if ('$objectId' in typed) return { kind: Kind.OBJECT_ID, num: null, txt: typed.$objectId as string };
  return { kind: Kind.STRING, num: null, txt: `$binary:${typed.$binary as string}` };
}

/** The index value a whole array or sub-document is compared by: its exact JSON text, or a digest of it. */
export function wholeIndexValue(value: Json[] | JsonObject): IndexValue {
  const text = JSON.stringify(canonical(value));
  const txt = text.length <= INLINE_TEXT_MAX ? text : `sha256:${createHash('sha256').update(text).digest('base64')}`;
  return { kind: Array.isArray(value) ? Kind.ARRAY : Kind.OBJECT, num: null, txt };
}

/** The value with its JSON extension values normalized, so equal values have equal text. */
export function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value)) {
    if (isTypedValue(value)) return normalizeTyped(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v as Json)]));
  }
  return value;
}

/** Any value's equality index value. */
export function equalityIndexValue(value: Json): IndexValue {
  return scalarIndexValue(value) ?? wholeIndexValue(value as Json[] | JsonObject);
}

/** The text a document id is stored and looked up by: its JSON, so 1 and "1" stay different ids. */
export function idKey(id: Json): string {
  return JSON.stringify(canonical(id));
}

export function isValidIdType(id: Json): boolean {
  if (id === null || Array.isArray(id)) return false;
  if (isObject(id)) return isTypedValue(id) && !('$binary' in id);
  return true;
}
