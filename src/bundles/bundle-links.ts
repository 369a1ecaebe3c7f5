import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { BundleUrls } from '../databases/database-view.js';

/** The four bundles of a datacenter, by the file-name prefix Astra gives each. */
const BUNDLE_KINDS = {
  external: 'secure-connect-',
  internal: 'secure-connect-internal-',
  proxy: 'secure-connect-proxy-',
  proxyInternal: 'secure-connect-proxy-internal-',
} as const;
export type BundleKind = keyof typeof BUNDLE_KINDS;

/** Download links are good for five minutes, like the presigned links Astra hands out. */
const BUNDLE_LINK_TTL_MS = 5 * 60_000;
const MAX_SIGNED_PER_SECOND = 10_000;

/** How each parameter of a link is written: exactly as `urls` writes it, and nothing else. */
const LINK_PARAMETERS: Record<string, RegExp> = {
  expires: /^[1-9]\d{0,11}$/,
  signature: /^[A-Za-z0-9_-]{1,100}$/,
  domain: /^[a-z0-9.-]{1,253}$/,
};

/**
 * The parameters of a link's query string, when it is written the one way Orrery writes it: known
 * names in their one spelling (no other case, no percent-encoding), each once, with plain values.
 * Anything else is not a link Orrery made, so there is never a second spelling of a valid one.
 */
export function parseLinkQuery(rawQuery: string): { expires: string; signature: string; domain: string } | undefined {
  const seen = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, undefined] : [pair.slice(0, at), pair.slice(at + 1)];
    const pattern = Object.hasOwn(LINK_PARAMETERS, name) ? LINK_PARAMETERS[name] : undefined;
    if (!pattern || value === undefined || !pattern.test(value) || seen.has(name)) return undefined;
    seen.set(name, value);
  }
  const expires = seen.get('expires');
  const signature = seen.get('signature');
  return expires && signature ? { expires, signature, domain: seen.get('domain') ?? '' } : undefined;
}

/** The longest prefix first, so `secure-connect-proxy-internal-x.zip` is not read as a proxy bundle. */
export function bundleKindOf(file: string): BundleKind | undefined {
  const kinds = (Object.entries(BUNDLE_KINDS) as [BundleKind, string][]).sort((a, b) => b[1].length - a[1].length);
  return kinds.find(([, prefix]) => file.startsWith(prefix) && file.endsWith('.zip'))?.[0];
}

/** Signs bundle download links with a key derived from the server key, and checks them. */
export class BundleLinks {
  readonly #key: Buffer;
  // Links signed in the current second, by what they link to: reads of the same databases sign each once.
  #signedAt = 0;
  readonly #signed = new Map<string, BundleUrls>();

  constructor(
    serverKey: Buffer,
    private readonly clock: Clock,
  ) {
    this.#key = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), 'orrery bundle links v1', 32));
  }

  /** The four signed links of a datacenter's bundles, under `base` (Orrery's address); `domain` for a custom domain's. */
  urls(base: string, datacenterId: string, databaseName: string, domain = ''): BundleUrls {
    const expires = Math.floor((this.clock.now().getTime() + BUNDLE_LINK_TTL_MS) / 1000);
    if (expires !== this.#signedAt || this.#signed.size >= MAX_SIGNED_PER_SECOND) {
      this.#signed.clear();
      this.#signedAt = expires;
    }
    const key = `${base}\n${datacenterId}\n${databaseName}\n${domain}`;
    let urls = this.#signed.get(key);
    if (!urls) {
      urls = this.#signUrls(base, datacenterId, databaseName, domain, expires);
      this.#signed.set(key, urls);
    }
    return urls;
  }

  #signUrls(base: string, datacenterId: string, databaseName: string, domain: string, expires: number): BundleUrls {
    const url = (kind: BundleKind) => {
      const file = `${BUNDLE_KINDS[kind]}${databaseName}.zip`;
      const query = `expires=${expires}${domain ? `&domain=${encodeURIComponent(domain)}` : ''}`;
      return `${base}/bundles/${datacenterId}/${file}?${query}&signature=${this.#sign(datacenterId, file, expires, domain)}`;
    };
    return {
      external: url('external'),
      internal: url('internal'),
      proxy: url('proxy'),
      proxyInternal: url('proxyInternal'),
    };
  }

  check(
    datacenterId: string,
    file: string,
    expires: string,
    signature: string,
    domain = '',
  ): 'valid' | 'expired' | 'invalid' {
    if (!/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.#sign(datacenterId, file, Number(expires), domain));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 <= this.clock.now().getTime() ? 'expired' : 'valid';
  }

  #sign(datacenterId: string, file: string, expires: number, domain: string): string {
    return createHmac('sha256', this.#key)
      .update(`${datacenterId}\n${file}\n${expires}\n${domain}`)
      .digest('base64url');
  }
}
