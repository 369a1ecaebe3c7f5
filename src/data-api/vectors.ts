import { fail } from './data-api-errors.js';
import { isObject, type Json } from './typed-values.js';

export type Metric = 'cosine' | 'dot_product' | 'euclidean';
export const METRICS: readonly Metric[] = ['cosine', 'dot_product', 'euclidean'];

/**
 * A `$vector` as sent: an array of numbers, or `{"$binary": base64}` of big-endian float32 values
 * (what astra-db-ts sends by default).
 */
export function parseVector(value: Json, what: 'document' | 'sort'): Float32Array {
  if (Array.isArray(value)) {
    if (value.length === 0) fail(what === 'sort' ? 'SORT_CLAUSE_VALUE_INVALID' : 'SHRED_BAD_VECTOR_SIZE', '$vector must hold at least one number.');
    if (!value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      fail(what === 'sort' ? 'SORT_CLAUSE_VALUE_INVALID' : 'SHRED_BAD_VECTOR_VALUE', '$vector must be an array of numbers.');
    }
    return Float32Array.from(value as number[]);
  }
  if (isObject(value) && typeof value.$binary === 'string' && Object.keys(value).length === 1) {
    const bytes = Buffer.from(value.$binary, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) fail('SHRED_BAD_BINARY_VECTOR_VALUE', '$binary vector must be base64 of big-endian float32 values (a multiple of 4 bytes).');
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatBE(i * 4);
    if (!vector.every(Number.isFinite)) fail('SHRED_BAD_BINARY_VECTOR_VALUE', '$binary vector holds values that are not finite numbers.');
    return vector;
  }
  return fail(what === 'sort' ? 'SORT_CLAUSE_VALUE_INVALID' : 'SHRED_BAD_DOCUMENT_VECTOR_TYPE', '$vector must be an array of numbers or {"$binary": <base64 of float32 values>}.');
}

/** Stored form on SQLite: little-endian float32 bytes. */
export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobToVector(blob: Uint8Array): Float32Array {
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/**
 * Similarity scaled to [0, 1] as the Data API reports it: cosine and dot product as (1 + x) / 2,
 * euclidean as 1 / (1 + squared distance).
 */
export function similarity(metric: Metric, a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  let squared = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    aa += x * x;
    bb += y * y;
    squared += (x - y) * (x - y);
  }
  if (metric === 'euclidean') return 1 / (1 + squared);
  if (metric === 'dot_product') return (1 + dot) / 2;
  const norms = Math.sqrt(aa * bb);
  return norms === 0 ? 0.5 : (1 + dot / norms) / 2;
}

/** Number array form, for returning `$vector` and `sortVector`. */
export function vectorToJson(vector: Float32Array): number[] {
  return Array.from(vector);
}
