import { beforeEach, describe, expect, it } from 'vitest';
import {
  CredentialHasher,
  formatToken,
  generateClientId,
  generateSecret,
  isWellFormedToken,
  parseToken,
  secretDigest,
} from '../../src/security/tokens.js';

// Digests below are published SHA-256 and HMAC-SHA256 vectors (RFC 4231 case 6) or were computed with
// sha256sum and Python's hmac, not with the code under test.
const CLIENT = 'abcdefghijklmnopqrstuvwx';
const DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('AstraCS token parsing', () => {
  const table: [token: string, parsed: { clientId: string; secretDigest: string } | undefined][] = [
    [`AstraCS:${CLIENT}:${DIGEST}`, { clientId: CLIENT, secretDigest: DIGEST }],
    [`AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:${DIGEST}`, { clientId: 'ABCDEFGHIJKLMNOPQRSTUVWX', secretDigest: DIGEST }],
    [`AstraCS:${CLIENT.slice(1)}:${DIGEST}`, undefined],
    [`AstraCS:${CLIENT}a:${DIGEST}`, undefined],
    [`AstraCS:abcdefghijklmnopqrstuvw1:${DIGEST}`, undefined],
    [`AstraCS:${CLIENT}:${DIGEST.slice(1)}`, undefined],
    [`AstraCS:${CLIENT}:${DIGEST}0`, undefined],
    [`AstraCS:${CLIENT}:${DIGEST.toUpperCase()}`, undefined],
    [`AstraCS:${CLIENT}:${DIGEST.slice(1)}g`, undefined],
    [`astracs:${CLIENT}:${DIGEST}`, undefined],
    [`${CLIENT}:${DIGEST}`, undefined],
    [` AstraCS:${CLIENT}:${DIGEST}`, undefined],
    [`AstraCS:${CLIENT}:${DIGEST}\n`, undefined],
    [`xAstraCS:${CLIENT}:${DIGEST}`, undefined],
    [`AstraCS:${CLIENT}${DIGEST}`, undefined],
    ['', undefined],
  ];
  it.each(table)('%j parses to %j', (token, parsed) => {
    expect(parseToken(token)).toEqual(parsed);
    expect(isWellFormedToken(token)).toBe(parsed !== undefined);
  });

  it('formats a token from its parts', () => {
    expect(formatToken(CLIENT, DIGEST)).toBe(`AstraCS:${CLIENT}:${DIGEST}`);
  });
});

describe('credential generation', () => {
  it('makes client ids of 24 letters that differ', () => {
    const ids = Array.from({ length: 200 }, generateClientId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z]{24}$/);
    expect(new Set(ids).size).toBe(200);
    // Both cases and the whole alphabet are used.
    const letters = new Set(ids.join(''));
    expect(letters.size).toBe(52);
  });

  it('makes secrets of 48 random bytes in base64url', () => {
    const secrets = Array.from({ length: 50 }, generateSecret);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(new Set(secrets).size).toBe(50);
  });

  it('digests a secret as the hex SHA-256 of its UTF-8 bytes', () => {
    expect(secretDigest('abc')).toBe(DIGEST);
    expect(secretDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(secretDigest('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });
});

describe('CredentialHasher', () => {
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  // Made per test, so that mutation testing sees which tests cover the constructor.
  let hasher: CredentialHasher;
  beforeEach(() => {
    hasher = new CredentialHasher(key);
  });
  const HASH_OF_E = '2445a1fe5ea6e3a6a788fcd7694ae2e660a1b57669bd103992c9cea6979eedcd';

  it('refuses a key shorter than 32 bytes and takes one of 32', () => {
    expect(() => new CredentialHasher(Buffer.alloc(31))).toThrow('at least 32 bytes');
    expect(() => new CredentialHasher(Buffer.alloc(32))).not.toThrow();
  });

  it('hashes with HMAC-SHA256 under its key, over UTF-8', () => {
    const rfc4231 = new CredentialHasher(Buffer.alloc(131, 0xaa));
    expect(rfc4231.hash('Test Using Larger Than Block-Size Key - Hash Key First')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
    expect(hasher.hash('é')).toBe(HASH_OF_E);
  });

  it('matches the material its hash was made from, and nothing else', () => {
    expect(hasher.matches('é', HASH_OF_E)).toBe(true);
    expect(hasher.matches('e', HASH_OF_E)).toBe(false);
    expect(hasher.matches('é', HASH_OF_E.slice(0, 62))).toBe(false);
    expect(hasher.matches('é', `${HASH_OF_E}00`)).toBe(false);
    expect(hasher.matches('é', '')).toBe(false);
    expect(new CredentialHasher(Buffer.alloc(32, 1)).matches('é', HASH_OF_E)).toBe(false);
  });
});
