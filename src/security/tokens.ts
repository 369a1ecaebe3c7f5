import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const TOKEN_PATTERN = /^AstraCS:([A-Za-z]{24}):([0-9a-f]{64})$/;

/** What an `AstraCS:` token carries: who it claims to be and the SHA-256 of its secret. */
export interface ParsedToken {
  clientId: string;
  secretDigest: string;
}

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function parseToken(value: string): ParsedToken | undefined {
  const match = TOKEN_PATTERN.exec(value);
  return match ? { clientId: match[1]!, secretDigest: match[2]! } : undefined;
}

export function generateClientId(): string {
  let id = '';
  for (let i = 0; i < 24; i++) id += LETTERS[randomInt(LETTERS.length)];
  return id;
}

export function generateSecret(): string {
  return randomBytes(48).toString('base64url');
}

export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function formatToken(clientId: string, digest: string): string {
  return `AstraCS:${clientId}:${digest}`;
}

/**
 * Hashes credential material with a server-held key, so that a copy of the store alone
 * cannot be used to check guesses, and compares hashes in constant time.
 */
export class CredentialHasher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('credential key must be at least 32 bytes');
    this.#key = key;
  }

  hash(material: string): string {
    return createHmac('sha256', this.#key).update(material, 'utf8').digest('hex');
  }

  matches(material: string, storedHash: string): boolean {
    const actual = Buffer.from(this.hash(material), 'hex');
    const expected = Buffer.from(storedHash, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
