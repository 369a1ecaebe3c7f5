import { badRequest } from '../kernel/errors.js';

type Config = Record<string, unknown>;

interface Destination {
  /** Fields that must be present, as non-empty strings unless listed otherwise. */
  required: string[];
  optional: string[];
  /** Fields kept sealed and never returned. */
  secrets: string[];
  check?: (config: Config) => void;
}

function url(value: unknown, field: string, schemes: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(String(value));
  } catch {
    throw badRequest(`${field} must be a URL.`);
  }
  if (!schemes.includes(parsed.protocol)) throw badRequest(`${field} must be a ${schemes.join(' or ')}// URL.`);
}

function oneOf(value: unknown, field: string, allowed: string[]): void {
  if (!allowed.includes(String(value))) throw badRequest(`${field} must be one of ${allowed.join(', ')}.`);
}

/** Where Astra can export metrics, with what each needs (see the telemetry section of the DevOps API notes). */
const DESTINATIONS: Record<string, Destination> = {
  prometheus_remote: {
    required: ['endpoint', 'auth_strategy'],
    optional: ['user', 'password', 'token'],
    secrets: ['password', 'token'],
    check: (c) => {
      url(c.endpoint, 'prometheus_remote.endpoint', ['http:', 'https:']);
      oneOf(c.auth_strategy, 'prometheus_remote.auth_strategy', ['basic', 'bearer']);
      if (c.auth_strategy === 'basic' && (!c.user || !c.password))
        throw badRequest('prometheus_remote with basic auth needs user and password.');
      if (c.auth_strategy === 'bearer' && !c.token) throw badRequest('prometheus_remote with bearer auth needs token.');
    },
  },
  kafka: {
    required: ['bootstrap_servers', 'topic', 'sasl_mechanism', 'sasl_username', 'sasl_password'],
    optional: ['security_protocol'],
    secrets: ['sasl_password'],
    check: (c) => {
      const servers = c.bootstrap_servers;
      if (
        !Array.isArray(servers) ||
        servers.length === 0 ||
        servers.some((s) => typeof s !== 'string' || !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(s))
      ) {
        throw badRequest('kafka.bootstrap_servers must be a list of host:port.');
      }
      oneOf(c.sasl_mechanism, 'kafka.sasl_mechanism', ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
      c.security_protocol ??= 'SASL_PLAINTEXT';
      oneOf(c.security_protocol, 'kafka.security_protocol', ['SASL_PLAINTEXT', 'SASL_SSL']);
    },
  },
  cloudwatch: {
    required: ['access_key', 'secret', 'region'],
    optional: [],
    secrets: ['secret'],
    check: (c) => {
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(String(c.region)))
        throw badRequest('cloudwatch.region must be an AWS region such as us-east-1.');
    },
  },
  splunk: {
    required: ['endpoint', 'index', 'token'],
    optional: ['source', 'sourcetype'],
    secrets: ['token'],
    check: (c) => url(c.endpoint, 'splunk.endpoint', ['https:']),
  },
  datadog: {
    required: ['api_key'],
    optional: ['site'],
    secrets: ['api_key'],
    check: (c) => {
      c.site ??= 'datadoghq.com';
      if (!/^[a-z0-9.-]+$/.test(String(c.site)))
        throw badRequest('datadog.site must be a Datadog site such as datadoghq.com.');
    },
  },
  pulsar: {
    required: ['endpoint', 'topic', 'auth_strategy'],
    optional: ['token', 'auth_name', 'oauth2_issuer_url', 'oauth2_credentials_url', 'oauth2_audience'],
    secrets: ['token'],
    check: (c) => {
      url(c.endpoint, 'pulsar.endpoint', ['pulsar:', 'pulsar+ssl:']);
      oneOf(c.auth_strategy, 'pulsar.auth_strategy', ['token', 'oauth2']);
      if (c.auth_strategy === 'token' && !c.token) throw badRequest('pulsar with token auth needs token.');
    },
  },
};

/** The destination a client's key names; keys are read case-insensitively (clients send `Datadog`). */
export function destinationOf(key: string): [string, Destination] | undefined {
  const name = key.toLowerCase();
  // Own keys only: "constructor" and the like are not destinations.
  const destination = Object.hasOwn(DESTINATIONS, name) ? DESTINATIONS[name] : undefined;
  return destination && [name, destination];
}

/** Checks one destination's configuration: its canonical name, its secret fields, and the configuration with defaults filled in. */
export function validateDestination(key: string, value: unknown): { name: string; secrets: string[]; config: Config } {
  const found = destinationOf(key);
  if (!found) throw badRequest(`"${key}" is not a metrics destination: use ${Object.keys(DESTINATIONS).join(', ')}.`);
  const [name, destination] = found;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest(`${name} must be an object.`);
  const config: Config = {};
  for (const field of [...destination.required, ...destination.optional]) {
    const given = (value as Config)[field];
    if (given !== undefined) config[field] = given;
  }
  for (const field of destination.required) {
    const given = config[field];
    if (given === undefined || given === '' || given === null) throw badRequest(`${name}.${field} is required.`);
  }
  for (const [field, given] of Object.entries(config)) {
    if (field !== 'bootstrap_servers' && (typeof given !== 'string' || given.length > 2048))
      throw badRequest(`${name}.${field} must be text of at most 2048 characters.`);
  }
  destination.check?.(config);
  return { name, secrets: destination.secrets, config };
}
