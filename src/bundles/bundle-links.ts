import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

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

export interface BundleUrls {
  external: string;
  internal: string;
  proxy: string;
  proxyInternal: string;
}

/** The longest prefix first, so `secure-connect-proxy-internal-x.zip` is not read as a proxy bundle. */
export function bundleKindOf(file: string): BundleKind | undefined {
  const kinds = (Object.entries(BUNDLE_KINDS) as [BundleKind, string][]).sort((a, b) => b[1].length - a[1].length);
  return kinds.find(([, prefix]) => file.startsWith(prefix) && file.endsWith('.zip'))?.[0];
}

/** Signs bundle download links with a key derived from the server key, and checks them. */
export class BundleLinks {
  readonly #key: Buffer;

  constructor(
    serverKey: Buffer,
    private readonly clock: Clock,
  ) {
    this.#key = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), 'orrery bundle links v1', 32));
  }

  /** The four signed links of a datacenter's bundles, under `base` (Orrery's address); `domain` for a custom domain's. */
  urls(base: string, datacenterId: string, databaseName: string, domain = ''): BundleUrls {
    const expires = Math.floor((this.clock.now().getTime() + BUNDLE_LINK_TTL_MS) / 1000);
    const url = (kind: BundleKind) => {
      const file = `${BUNDLE_KINDS[kind]}${databaseName}.zip`;
      const query = `expires=${expires}${domain ? `&domain=${encodeURIComponent(domain)}` : ''}`;
      return `${base}/bundles/${datacenterId}/${file}?${query}&signature=${this.#sign(datacenterId, file, expires, domain)}`;
    };
    return { external: url('external'), internal: url('internal'), proxy: url('proxy'), proxyInternal: url('proxyInternal') };
  }

  check(datacenterId: string, file: string, expires: string, signature: string, domain = ''): 'valid' | 'expired' | 'invalid' {
    if (!/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.#sign(datacenterId, file, Number(expires), domain));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 <= this.clock.now().getTime() ? 'expired' : 'valid';
  }

  #sign(datacenterId: string, file: string, expires: number, domain: string): string {
    return createHmac('sha256', this.#key).update(`${datacenterId}\n${file}\n${expires}\n${domain}`).digest('base64url');
  }
}
