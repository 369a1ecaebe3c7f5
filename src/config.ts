import { isIP } from 'node:net';
import path from 'node:path';
import type { Speed } from './databases/provisioner.js';
import { isWellFormedToken } from './security/tokens.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Set for PostgreSQL; absent means the embedded SQLite store under dataDir. */
  databaseUrl?: string;
  bootstrapToken?: string;
  logLevel: LogLevel;
  /** Key for hashing credentials; absent means a key file kept in dataDir. */
  secretKey?: Buffer;
  /** Proxies whose X-Forwarded-For is believed when telling a caller's address. */
  trustedProxies: string[];
  /** How long the simulated data plane takes per lifecycle step. */
  provisioningSpeed: Speed;
  /** Share (0 to 1) of database creations that the simulated data plane fails. */
  faultRate: number;
  /** Domain of the databases' data endpoints: https://<id>-<region>.<appsDomain>. */
  appsDomain: string;
  /** A JSON file of regions replacing the built-in catalogue. */
  regionsFile?: string;
  /** How database URL fields name data endpoints: by host name under appsDomain, or by path on Orrery's own address. */
  dataEndpoints: 'host' | 'path';
  /** Orrery's address as callers reach it, for links it hands out; absent means the address each request came to. */
  publicUrl?: string;
  /** Seconds a per-database auth token lives after its last use. */
  authTokenTtlSeconds: number;
  /** Milliseconds a PostgreSQL connection attempt or statement may take before the request fails. */
  storeTimeoutMs: number;
  /** Seconds a start waits for an unreachable PostgreSQL before giving up. */
  storeWaitSeconds: number;
  /** Days audit events are kept; 0 keeps them by count alone. */
  auditRetentionDays: number;
  /** Audit events kept per organization, newest first; 0 keeps them by age alone. */
  auditMaxEvents: number;
  /** Days expired tokens and terminated databases are kept before they are purged. */
  purgeAfterDays: number;
  /** Collections (over all keyspaces) one database may hold through the Data API. */
  dataApiMaxCollections: number;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1): from certificate files, or from a local CA kept in dataDir. */
  tls: 'off' | 'local-ca' | 'files';
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** The API's host name (api.<domain> for apps.<domain>), named in the local CA's certificate. */
  apiHost?: string;
  /** Serves the /_orrery/ emulator controls (reset, snapshots, statuses, journal). */
  emulator: boolean;
  /** A JSON file of organizations, tokens, roles, users and databases to load into an empty store. */
  seedFile?: string;
  /** How many recent requests the journal keeps (emulator mode). */
  journalSize: number;
  /** smtp:// or smtps:// server through which invitation links are e-mailed; absent means they are only shown. */
  smtpUrl?: string;
}

export class ConfigError extends Error {}

interface OptionSpec<K extends keyof Config> {
  key: K;
  env: string;
  flag: string;
  help: string;
  parse: (raw: string) => Config[K];
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function fail(name: string, message: string): never {
  throw new ConfigError(`${name}: ${message}`);
}

/** Every option Orrery reads: each is an environment variable and a flag of `orrery serve`. */
export const OPTIONS = [
  {
    key: 'host',
    env: 'ORRERY_HOST',
    flag: 'host',
    help: 'address to listen on (default 127.0.0.1)',
    parse: (raw: string) =>
      raw === 'localhost' || isIP(raw) ? raw : fail('ORRERY_HOST', `"${raw}" is not an IP address or localhost`),
  },
  {
    key: 'port',
    env: 'ORRERY_PORT',
    flag: 'port',
    help: 'TCP port (default 8080; 0 picks a free one)',
    parse: (raw: string) => {
      const port = Number(raw);
      return /^\d+$/.test(raw) && port <= 65535
        ? port
        : fail('ORRERY_PORT', `"${raw}" is not a port number from 0 to 65535`);
    },
  },
  {
    key: 'dataDir',
    env: 'ORRERY_DATA_DIR',
    flag: 'data-dir',
    help: 'directory for the embedded store and key files (default ./data)',
    parse: (raw: string) => (raw.trim() ? path.resolve(raw) : fail('ORRERY_DATA_DIR', 'must not be empty')),
  },
  {
    key: 'databaseUrl',
    env: 'ORRERY_DATABASE_URL',
    flag: 'database-url',
    help: 'postgres://user:password@host:port/db to use PostgreSQL instead of the embedded store',
    parse: (raw: string) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return fail('ORRERY_DATABASE_URL', 'is not a URL; expected postgres://user:password@host:port/database');
      }
      return url.protocol === 'postgres:' || url.protocol === 'postgresql:'
        ? raw
        : fail('ORRERY_DATABASE_URL', `scheme "${url.protocol}" is not supported; expected postgres://`);
    },
  },
  {
    key: 'bootstrapToken',
    env: 'ORRERY_BOOTSTRAP_TOKEN',
    flag: 'bootstrap-token',
    help: 'admin token to register on first start (AstraCS:<24 letters>:<64 lowercase hex>)',
    parse: (raw: string) =>
      isWellFormedToken(raw)
        ? raw
        : fail('ORRERY_BOOTSTRAP_TOKEN', 'must be "AstraCS:" followed by 24 letters, ":" and 64 lowercase hex digits'),
  },
  {
    key: 'logLevel',
    env: 'ORRERY_LOG_LEVEL',
    flag: 'log-level',
    help: `log level: ${LOG_LEVELS.join(', ')} (default info)`,
    parse: (raw: string) =>
      LOG_LEVELS.includes(raw as LogLevel)
        ? raw
        : fail('ORRERY_LOG_LEVEL', `"${raw}" is not one of ${LOG_LEVELS.join(', ')}`),
  },
  {
    key: 'secretKey',
    env: 'ORRERY_SECRET_KEY',
    flag: 'secret-key',
    help: '64 hex digits keying credential hashes; default: a key file in the data directory',
    parse: (raw: string) =>
      /^[0-9a-fA-F]{64}$/.test(raw)
        ? Buffer.from(raw, 'hex')
        : fail('ORRERY_SECRET_KEY', 'must be 64 hex digits (32 bytes)'),
  },
  {
    key: 'trustedProxies',
    env: 'ORRERY_TRUSTED_PROXIES',
    flag: 'trusted-proxies',
    help: 'comma-separated proxy addresses whose X-Forwarded-For is believed (default none)',
    parse: (raw: string) => {
      const list = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const entry of list) if (!isIP(entry)) fail('ORRERY_TRUSTED_PROXIES', `"${entry}" is not an IP address`);
      return list;
    },
  },
  {
    key: 'provisioningSpeed',
    env: 'ORRERY_PROVISIONING_SPEED',
    flag: 'provisioning-speed',
    help: 'lifecycle step duration: immediate, fast (default), realistic, manual (only emulator controls advance), or milliseconds',
    parse: (raw: string): Speed => {
      if (raw === 'immediate' || raw === 'fast' || raw === 'realistic' || raw === 'manual') return raw;
      return /^\d+$/.test(raw) && Number(raw) <= 3_600_000
        ? Number(raw)
        : fail(
            'ORRERY_PROVISIONING_SPEED',
            `"${raw}" is not immediate, fast, realistic, manual or a number of milliseconds up to 3600000`,
          );
    },
  },
  {
    key: 'faultRate',
    env: 'ORRERY_FAULT_RATE',
    flag: 'fault-rate',
    help: 'share of database creations that end in ERROR, 0 to 1 (default 0)',
    parse: (raw: string) => {
      const rate = Number(raw);
      return raw.trim() !== '' && rate >= 0 && rate <= 1
        ? rate
        : fail('ORRERY_FAULT_RATE', `"${raw}" is not a number from 0 to 1`);
    },
  },
  {
    key: 'appsDomain',
    env: 'ORRERY_APPS_DOMAIN',
    flag: 'apps-domain',
    help: 'domain of database endpoints (default apps.astra.datastax.com)',
    parse: (raw: string) =>
      /^[a-z0-9.-]+$/i.test(raw) ? raw.toLowerCase() : fail('ORRERY_APPS_DOMAIN', `"${raw}" is not a domain name`),
  },
  {
    key: 'regionsFile',
    env: 'ORRERY_REGIONS_FILE',
    flag: 'regions-file',
    help: 'JSON file of regions replacing the built-in catalogue',
    parse: (raw: string) => path.resolve(raw),
  },
  {
    key: 'dataEndpoints',
    env: 'ORRERY_DATA_ENDPOINTS',
    flag: 'data-endpoints',
    help: 'database URL fields by "host" name under the apps domain (default) or by "path" on Orrery\'s address',
    parse: (raw: string) =>
      raw === 'host' || raw === 'path' ? raw : fail('ORRERY_DATA_ENDPOINTS', `"${raw}" is not host or path`),
  },
  {
    key: 'publicUrl',
    env: 'ORRERY_PUBLIC_URL',
    flag: 'public-url',
    help: "Orrery's address as clients reach it, for the links it hands out (default: the address each request came to)",
    parse: (raw: string) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return fail('ORRERY_PUBLIC_URL', `"${raw}" is not a URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        fail('ORRERY_PUBLIC_URL', 'must be an http:// or https:// URL');
      return url.origin + url.pathname.replace(/\/+$/, '');
    },
  },
  {
    key: 'authTokenTtlSeconds',
    env: 'ORRERY_AUTH_TOKEN_TTL',
    flag: 'auth-token-ttl',
    help: 'seconds a per-database auth token lives after its last use (default 1800)',
    parse: (raw: string) => {
      const seconds = Number(raw);
      return /^\d+$/.test(raw) && seconds >= 60 && seconds <= 86_400
        ? seconds
        : fail('ORRERY_AUTH_TOKEN_TTL', `"${raw}" is not a whole number of seconds from 60 to 86400`);
    },
  },
  {
    key: 'storeTimeoutMs',
    env: 'ORRERY_STORE_TIMEOUT',
    flag: 'store-timeout',
    help: 'milliseconds a PostgreSQL connection or statement may take before the request fails with 503 (default 10000)',
    parse: (raw: string) => wholeNumber('ORRERY_STORE_TIMEOUT', raw, 100, 600_000),
  },
  {
    key: 'storeWaitSeconds',
    env: 'ORRERY_STORE_WAIT',
    flag: 'store-wait',
    help: 'seconds a start waits for an unreachable PostgreSQL before giving up (default 60)',
    parse: (raw: string) => wholeNumber('ORRERY_STORE_WAIT', raw, 0, 86_400),
  },
  {
    key: 'auditRetentionDays',
    env: 'ORRERY_AUDIT_RETENTION_DAYS',
    flag: 'audit-retention-days',
    help: 'days audit events are kept; 0 for no age limit (default 365)',
    parse: (raw: string) => wholeNumber('ORRERY_AUDIT_RETENTION_DAYS', raw, 0, 36_500),
  },
  {
    key: 'auditMaxEvents',
    env: 'ORRERY_AUDIT_MAX_EVENTS',
    flag: 'audit-max-events',
    help: 'audit events kept per organization; 0 for no count limit (default 1000000)',
    parse: (raw: string) => wholeNumber('ORRERY_AUDIT_MAX_EVENTS', raw, 0, 1_000_000_000),
  },
  {
    key: 'purgeAfterDays',
    env: 'ORRERY_PURGE_AFTER_DAYS',
    flag: 'purge-after-days',
    help: 'days expired tokens and terminated databases are kept before they are purged (default 30)',
    parse: (raw: string) => wholeNumber('ORRERY_PURGE_AFTER_DAYS', raw, 0, 36_500),
  },
  {
    key: 'dataApiMaxCollections',
    env: 'ORRERY_DATA_API_MAX_COLLECTIONS',
    flag: 'data-api-max-collections',
    help: 'collections one database may hold through the Data API (default 10)',
    parse: (raw: string) => wholeNumber('ORRERY_DATA_API_MAX_COLLECTIONS', raw, 1, 10_000),
  },
  {
    key: 'tls',
    env: 'ORRERY_TLS',
    flag: 'tls',
    help: 'HTTPS with HTTP/2: "off" (default), "local-ca" (a CA and certificate kept in the data directory) or "files" (ORRERY_TLS_CERT and ORRERY_TLS_KEY)',
    parse: (raw: string) =>
      raw === 'off' || raw === 'local-ca' || raw === 'files'
        ? raw
        : fail('ORRERY_TLS', `"${raw}" is not off, local-ca or files`),
  },
  {
    key: 'tlsCertFile',
    env: 'ORRERY_TLS_CERT',
    flag: 'tls-cert',
    help: 'PEM certificate chain file, with --tls files',
    parse: (raw: string) => path.resolve(raw),
  },
  {
    key: 'tlsKeyFile',
    env: 'ORRERY_TLS_KEY',
    flag: 'tls-key',
    help: 'PEM private key file, with --tls files',
    parse: (raw: string) => path.resolve(raw),
  },
  {
    key: 'apiHost',
    env: 'ORRERY_API_HOST',
    flag: 'api-host',
    help: 'the API host name the local CA certifies (default: api.<domain> for apps domain apps.<domain>)',
    parse: (raw: string) =>
      /^[a-z0-9.-]+$/i.test(raw) ? raw.toLowerCase() : fail('ORRERY_API_HOST', `"${raw}" is not a host name`),
  },
  {
    key: 'emulator',
    env: 'ORRERY_EMULATOR',
    flag: 'emulator',
    help: 'serve the /_orrery/ emulator controls for test suites: true or false (default)',
    parse: (raw: string) =>
      raw === 'true' || raw === 'false' ? raw === 'true' : fail('ORRERY_EMULATOR', `"${raw}" is not true or false`),
  },
  {
    key: 'seedFile',
    env: 'ORRERY_SEED_FILE',
    flag: 'seed-file',
    help: 'JSON file of organizations, roles, tokens, users and databases loaded into an empty store',
    parse: (raw: string) => path.resolve(raw),
  },
  {
    key: 'journalSize',
    env: 'ORRERY_JOURNAL_SIZE',
    flag: 'journal-size',
    help: 'requests the emulator journal keeps (default 500)',
    parse: (raw: string) =>
      /^\d+$/.test(raw) && Number(raw) <= 100_000
        ? Number(raw)
        : fail('ORRERY_JOURNAL_SIZE', `"${raw}" is not a whole number up to 100000`),
  },
  {
    key: 'smtpUrl',
    env: 'ORRERY_SMTP_URL',
    flag: 'smtp-url',
    help: 'smtp(s)://user:password@host:port through which invitation links are e-mailed (default: only shown to the inviter)',
    parse: (raw: string) =>
      /^smtps?:\/\/[^\s]+$/.test(raw) ? raw : fail('ORRERY_SMTP_URL', 'must be an smtp:// or smtps:// URL'),
  },
] satisfies OptionSpec<keyof Config>[];

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  return /^\d+$/.test(raw) && value >= min && value <= max
    ? value
    : fail(name, `"${raw}" is not a whole number from ${min} to ${max}`);
}

export const DEFAULTS: Config = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: path.resolve('data'),
  logLevel: 'info',
  trustedProxies: [],
  provisioningSpeed: 'fast',
  faultRate: 0,
  appsDomain: 'apps.astra.datastax.com',
  dataEndpoints: 'host',
  authTokenTtlSeconds: 1800,
  storeTimeoutMs: 10_000,
  storeWaitSeconds: 60,
  auditRetentionDays: 365,
  auditMaxEvents: 1_000_000,
  purgeAfterDays: 30,
  dataApiMaxCollections: 10,
  tls: 'off',
  emulator: false,
  journalSize: 500,
};

/**
 * Builds the configuration from the environment, with flags taking precedence.
 * Empty environment variables count as unset, so `FOO= orrery serve` behaves like no FOO.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: Record<string, string | undefined> = {}): Config {
  const config: Config = { ...DEFAULTS };
  for (const option of OPTIONS) {
    const raw = flags[option.flag] ?? env[option.env];
    if (raw === undefined || raw === '') continue;
    (config as unknown as Record<string, unknown>)[option.key] = option.parse(raw);
  }
  if (config.tls === 'files' && (!config.tlsCertFile || !config.tlsKeyFile))
    fail('ORRERY_TLS', '"files" needs ORRERY_TLS_CERT and ORRERY_TLS_KEY');
  return config;
}
