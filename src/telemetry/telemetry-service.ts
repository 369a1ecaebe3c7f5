import type { DatabaseService } from '../databases/database-service.js';
import { badRequest } from '../http/errors.js';
import type { Actor, Principal } from '../iam/principal.js';
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

  /** Replaces the whole export configuration; an empty object turns exporting off. */
  async configure(actor: Actor, databaseId: string, body: Record<string, unknown>): Promise<Destinations> {
    await this.databases.get(actor.principal.orgId, databaseId);
    const stored = await this.settings.update<Destinations>(actor, databaseId, KIND, (current) => {
      const previous = current ?? {};
      const seen = new Set<string>();
      const value: Destinations = {};
      for (const [key, given] of Object.entries(body)) {
        const config = validateDestination(key, given);
        const [name, destination] = destinationOf(key)!;
        if (seen.has(name)) throw badRequest(`${name} is given twice.`);
        seen.add(name);
        const before: Config | undefined = Object.entries(previous).find(([k]) => k.toLowerCase() === name)?.[1];
        value[key] = sealFields(config, destination.secrets, this.sealer, before);
      }
      return { value, entry: { action: 'TELEMETRY_CONFIGURED', resource: databaseId, details: { destinations: Object.keys(value) } } };
    });
    return mask(stored);
  }
}

function mask(destinations: Destinations): Destinations {
  return Object.fromEntries(Object.entries(destinations).map(([key, config]) => [key, maskFields(config, destinationOf(key)![1].secrets)]));
}
