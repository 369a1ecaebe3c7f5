import { LosslessNumber, isLosslessNumber, parse, stringify } from 'lossless-json';

/**
 * Table rows carry numbers a double cannot hold (bigint, varint, decimal beyond 2^53 or 17 digits), which
 * clients send and expect back as plain JSON numbers. Table commands read the request body again with
 * every number kept as its text, and answer with such numbers written out as they are.
 */
export type ExactJson = null | boolean | string | LosslessNumber | ExactJson[] | { [key: string]: ExactJson };
export type ExactObject = { [key: string]: ExactJson };

export { LosslessNumber, isLosslessNumber };

export function parseExact(text: string): ExactJson {
  return parse(text, null, (value) => new LosslessNumber(value)) as ExactJson;
}

export function stringifyExact(value: unknown): string {
  return stringify(value) ?? 'null';
}

export function isExactObject(value: ExactJson | undefined): value is ExactObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** A number as sent, for fields that take plain numbers (sort directions, limits, vector components). */
export function plainNumber(value: ExactJson | undefined): number | undefined {
  return isLosslessNumber(value) ? Number(value.value) : undefined;
}
