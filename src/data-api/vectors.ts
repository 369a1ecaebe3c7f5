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
    if (value.length === 0)
      fail(
        what === 'sort' ? 'SORT_CLAUSE_VALUE_INVALID' : 'SHRED_BAD_VECTOR_SIZE',
        '$vector must hold at least one number.',
      );
    if (!value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      fail(
        what === 'sort' ? 'SORT_CLAUSE_VALUE_INVALID' : 'SHRED_BAD_VECTOR_VALUE',
        '$vector must be an array of numbers.',
      );
    }
    return Float32Array.from(value as number[]);
  }
  if (isObject(value) && typeof value.$binary === 'string' && Object.keys(value).length === 1) {
    const bytes = Buffer.from(value.$binary, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0)
      fail(
        'SHRED_BAD_BINARY_VECTOR_VALUE',
        '$binary vector must be base64 of big-endian float32 values (a multiple of 4 bytes).',
      );
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatBE(i * 4);
    if (!vector.every(Number.isFinite))
      fail('SHRED_BAD_BINARY_VECTOR_VALUE', '$binary vector holds values that are not finite numbers.');
    return vector;
  }
  return fail(
    what === 'sort' ? 'SORT_CLAUSE_VALUE_INVALID' : 'SHRED_BAD_DOCUMENT_VECTOR_TYPE',
    '$vector must be an array of numbers or {"$binary": <base64 of float32 values>}.',
  );
}

/** Stored form on SQLite: little-endian float32 bytes. */
export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Reads the stored bytes in place when they are aligned for float32, as they almost always are. */
export function blobToVector(blob: Uint8Array): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Number array form, for returning `$vector` and `sortVector`. */
export function vectorToJson(vector: Float32Array): number[] {
  return Array.from(vector);
}
