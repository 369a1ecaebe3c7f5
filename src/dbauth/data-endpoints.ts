import type { Config } from '../config.js';

/** Where the path form of data endpoints lives on Orrery's own address: /data/<databaseId>-<region>/... */
export const DATA_PATH_PREFIX = '/data';

const ENDPOINT_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([a-z0-9-]{1,40})$/;

/** A data endpoint is named `<databaseId>-<region>`, as in Astra's host names. */
export function parseEndpointName(name: string): { databaseId: string; region: string } | undefined {
  const match = ENDPOINT_NAME.exec(name.toLowerCase());
  return match ? { databaseId: match[1]!, region: match[2]! } : undefined;
}

/** Builds the links to databases' data endpoints, and maps their host names onto the path form. */
export class DataEndpoints {
  readonly #hostPattern: RegExp;

  constructor(private readonly config: Pick<Config, 'appsDomain' | 'dataEndpoints'>) {
    const domain = config.appsDomain.replaceAll('.', '\\.');
    this.#hostPattern = new RegExp(`^([0-9a-z-]+)\\.${domain}(?::\\d+)?$`, 'i');
  }

  /** The base URL of a datacenter's data endpoint; `origin` is Orrery's public address. */
  base(databaseId: string, region: string, origin: string): string {
    const name = `${databaseId}-${region}`;
    if (this.config.dataEndpoints === 'host') return `https://${name}.${this.config.appsDomain}`;
    return `${origin}${DATA_PATH_PREFIX}/${name}`;
  }

  /** A request to `<databaseId>-<region>.<appsDomain>` is served as the same path under /data/<databaseId>-<region>. */
  rewrite(host: string | undefined, url: string): string {
    const match = host ? this.#hostPattern.exec(host) : null;
    if (!match || !parseEndpointName(match[1]!)) return url;
    return `${DATA_PATH_PREFIX}/${match[1]!.toLowerCase()}${url}`;
  }
}
