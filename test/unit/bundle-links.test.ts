import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { BundleLinks, bundleKindOf, parseLinkQuery } from '../../src/bundles/bundle-links.js';

// Written against the links' public behaviour: four signed URLs good for five minutes, and a check that
// refuses any change to what was signed.
const KEY = Buffer.alloc(32, 7);
const NOW = '2026-06-01T00:00:00Z';
/** 2026-06-01T00:05:00Z in seconds: now plus five minutes. */
const EXPIRES = '1780272300';

describe('bundleKindOf', () => {
  const table: [file: string, kind: string | undefined][] = [
    ['secure-connect-shop.zip', 'external'],
    ['secure-connect-internal-shop.zip', 'internal'],
    ['secure-connect-proxy-shop.zip', 'proxy'],
    ['secure-connect-proxy-internal-shop.zip', 'proxyInternal'],
    ['secure-connect-shop.tar', undefined],
    ['secure-connect-shop.zip.sig', undefined],
    ['connect-shop.zip', undefined],
    ['x-secure-connect-shop.zip', undefined],
  ];
  it.each(table)('%s is %s', (file, kind) => {
    expect(bundleKindOf(file)).toBe(kind);
  });
});

describe('parseLinkQuery', () => {
  // A link is accepted only as `urls` writes it: any other spelling is not one of Orrery's links.
  const table: [query: string, parsed: { expires: string; signature: string; domain: string } | undefined][] = [
    ['expires=1780272300&signature=aZ09_-', { expires: '1780272300', signature: 'aZ09_-', domain: '' }],
    [
      'expires=1780272300&domain=db.example.com&signature=abc',
      { expires: '1780272300', signature: 'abc', domain: 'db.example.com' },
    ],
    ['signature=abc&expires=1', { expires: '1', signature: 'abc', domain: '' }],
    ['expires=1780272300', undefined],
    ['signature=abc', undefined],
    ['expires=1780272300&signature=abc&extra=1', undefined],
    ['Expires=1780272300&signature=abc', undefined],
    ['expires=1780272300&expires=1780272301&signature=abc', undefined],
    ['expires&signature=abc', undefined],
    ['expires=01780272300&signature=abc', undefined],
    ['expires=1780272300x&signature=abc', undefined],
    ['expires=1234567890123&signature=abc', undefined],
    ['expires=1780272300&signature=a%2Fb', undefined],
    ['expires=1780272300&signature=ab%', undefined],
    ['expires=1780272300&signature=', undefined],
    ['expires=1780272300&signature=abc&domain=DB.example.com', undefined],
    ['expires=1780272300&signature=abc&domain=db.example.com%2F', undefined],
    ['expires=1780272300&signature=abc&domain=', undefined],
  ];
  it.each(table)('%s', (query, parsed) => {
    expect(parseLinkQuery(query)).toEqual(parsed);
  });
});

describe('BundleLinks', () => {
  // Made per test, so that mutation testing sees which tests cover the constructor.
  let clock: ManualClock;
  let links: BundleLinks;
  beforeEach(() => {
    clock = new ManualClock(NOW);
    links = new BundleLinks(KEY, clock);
  });
  const parse = (url: string) => {
    const parsed = new URL(url);
    const [, , datacenter, file] = parsed.pathname.split('/');
    return {
      parsed,
      datacenter: datacenter!,
      file: file!,
      expires: parsed.searchParams.get('expires')!,
      signature: parsed.searchParams.get('signature')!,
      domain: parsed.searchParams.get('domain') ?? '',
    };
  };

  it('makes four links under the base, one per bundle kind, expiring in five minutes', () => {
    const urls = links.urls('http://orrery.local', 'db-1', 'shop');
    const files = Object.values(urls).map((url) => parse(url).file);
    expect(files).toEqual([
      'secure-connect-shop.zip',
      'secure-connect-internal-shop.zip',
      'secure-connect-proxy-shop.zip',
      'secure-connect-proxy-internal-shop.zip',
    ]);
    for (const url of Object.values(urls)) {
      expect(url).toMatch(
        /^http:\/\/orrery\.local\/bundles\/db-1\/secure-connect-[a-z-]+\.zip\?expires=1780272300&signature=[A-Za-z0-9_-]{43}$/,
      );
    }
    // HKDF-SHA256 of the key with info "orrery bundle links v1", then HMAC-SHA256 of the fields, computed
    // with Python's hmac module.
    expect(urls.external).toBe(
      'http://orrery.local/bundles/db-1/secure-connect-shop.zip?expires=1780272300&signature=Xop53RTq97AF9UleicnOpdtOlD0ziELNB8R4QEuTmRo',
    );
  });

  it('names the custom domain in the link and signs it', () => {
    const url = links.urls('http://orrery.local', 'db-1', 'shop', 'db.example.com').external;
    expect(url).toContain('?expires=1780272300&domain=db.example.com&signature=');
    const link = parse(url);
    expect(links.check(link.datacenter, link.file, link.expires, link.signature, 'db.example.com')).toBe('valid');
    expect(links.check(link.datacenter, link.file, link.expires, link.signature)).toBe('invalid');
    expect(links.check(link.datacenter, link.file, link.expires, link.signature, 'other.example.com')).toBe('invalid');
  });

  it('accepts its own link until it expires, and not at the expiry second', () => {
    const checker = new BundleLinks(KEY, new ManualClock(NOW));
    const link = parse(links.urls('http://orrery.local', 'db-1', 'shop').internal);
    expect(link.expires).toBe(EXPIRES);
    expect(checker.check(link.datacenter, link.file, link.expires, link.signature)).toBe('valid');
    const later = new ManualClock('2026-06-01T00:04:59.999Z');
    expect(new BundleLinks(KEY, later).check(link.datacenter, link.file, link.expires, link.signature)).toBe('valid');
    later.advance(1);
    expect(new BundleLinks(KEY, later).check(link.datacenter, link.file, link.expires, link.signature)).toBe('expired');
  });

  it('refuses any change to what was signed', () => {
    const link = parse(links.urls('http://orrery.local', 'db-1', 'shop').external);
    const { datacenter, file, expires, signature } = link;
    expect(links.check('db-2', file, expires, signature)).toBe('invalid');
    expect(links.check(datacenter, 'secure-connect-internal-shop.zip', expires, signature)).toBe('invalid');
    expect(links.check(datacenter, file, String(Number(expires) + 1), signature)).toBe('invalid');
    expect(links.check(datacenter, file, `0${expires}`, signature)).toBe('valid');
    expect(
      links.check(datacenter, file, expires, `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`),
    ).toBe('invalid');
    expect(links.check(datacenter, file, expires, signature.slice(0, -1))).toBe('invalid');
    expect(links.check(datacenter, file, expires, '')).toBe('invalid');
    expect(new BundleLinks(Buffer.alloc(32, 8), clock).check(datacenter, file, expires, signature)).toBe('invalid');
  });

  it('refuses an expiry that is not a small whole number', () => {
    const link = parse(links.urls('http://orrery.local', 'db-1', 'shop').external);
    for (const expires of [
      '',
      'soon',
      '1e9',
      `${link.expires}.0`,
      '-1',
      '1234567890123',
      ` ${link.expires}`,
      `${link.expires}\n`,
    ]) {
      expect(links.check(link.datacenter, link.file, expires, link.signature), expires).toBe('invalid');
    }
  });

  it('keeps the fields apart in what it signs', () => {
    // "db-1" + "\n" + file must not sign the same as "db-1\nsecure..." split elsewhere.
    const link = parse(links.urls('http://orrery.local', 'db', 'shop').external);
    expect(links.check('db', link.file, link.expires, link.signature)).toBe('valid');
    expect(links.check('d', link.file, link.expires, link.signature)).toBe('invalid');
  });
});
