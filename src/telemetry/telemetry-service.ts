import type { DatabaseService } from '../databases/database-service.js';
import { badRequest } from '../kernel/errors.js';
import type { Actor, Principal } from '../kernel/principal.js';
import { maskFields, sealFields } from '../security/secret-fields.js';
import type { Sealer } from '../security/sealer.js';
import type { Settings } from '../settings/settings.js';
import { destinationOf, validateDestination } from './destinations.js';

const KIND = 'telemetry-metrics';
type Config = Record<string, unknown>;
/** Keyed by destination as the client spelt it, so that it reads back what it wrote. */
type Destinations = Record<string, Config>;

/**
 * Where a database's metrics are exported. Orrery keeps and validates the configuration but sends
 * no metrics: there is no data plane producing them.
 */
export class TelemetryService {
  constructor(
    private readonly databases: DatabaseService,
    private readonly settings: Settings,
    private readonly sealer: Sealer,
  ) {}

  async get(principal: Principal, databaseId: string): Promise<Destinations> {
    await this.databases.get(principal.orgId, databaseId);
    return mask((await this.settings.get<Destinations>(databaseId, KIND))?.value ?? {});
  }

  /**
   * Replaces the whole export configuration (an empty object turns exporting off), or with `merge`
   * sets only the destinations given and keeps the others.
   */
  async configure(
    actor: Actor,
    databaseId: string,
    body: Record<string, unknown>,
    merge = false,
  ): Promise<Destinations> {
    await this.databases.get(actor.principal.orgId, databaseId);
    const stored = await this.settings.update<Destinations>(actor, databaseId, KIND, (current) => {
      const previous = current ?? {};
      const seen = new Set<string>();
      const value: Destinations = {};
      if (merge) {
        const replaced = new Set(Object.keys(body).map((key) => key.toLowerCase()));
        for (const [key, config] of Object.entries(previous)) if (!replaced.has(key.toLowerCase())) value[key] = config;
      }
      for (const [key, given] of Object.entries(body)) {
        const { name, secrets, config } = validateDestination(key, given);
        if (seen.has(name)) throw badRequest(`${name} is given twice.`);
        seen.add(name);
        const before: Config | undefined = Object.entries(previous).find(([k]) => k.toLowerCase() === name)?.[1];
        value[key] = sealFields(config, secrets, this.sealer, before);
      }
      return {
        value,
        entry: { action: 'TELEMETRY_CONFIGURED', resource: databaseId, details: { destinations: Object.keys(value) } },
      };
    });
    return mask(stored);
  }
}

function mask(destinations: Destinations): Destinations {
  return Object.fromEntries(
    Object.entries(destinations).map(([key, config]) => [key, maskFields(config, destinationOf(key)![1].secrets)]),
  );
}

/** The flat body of the older `third-party-metrics` endpoint, as destinations. */
export function legacyDestinations(body: Record<string, unknown>): Record<string, Config> {
  const pick = (prefix: string, renames: Record<string, string>) => {
    const fields = Object.entries(renames).filter(([flat]) => body[`${prefix}${flat}`] !== undefined);
    return fields.length
      ? Object.fromEntries(fields.map(([flat, field]) => [field, body[`${prefix}${flat}`]]))
      : undefined;
  };
  const kafka = pick('kafka_', {
    bootstrap_servers: 'bootstrap_servers',
    topic: 'topic',
    sasl_mechanism: 'sasl_mechanism',
    sasl_username: 'sasl_username',
    sasl_password: 'sasl_password',
  });
  const prometheus = pick('prom_', {
    endpoint: 'endpoint',
    strategy: 'auth_strategy',
    user: 'user',
    password: 'password',
    token: 'token',
  });
  return { ...(kafka ? { kafka } : {}), ...(prometheus ? { prometheus_remote: prometheus } : {}) };
}
