import { isIP } from 'node:net';
import { badRequest, conflict } from '../kernel/errors.js';
import type { Actor } from '../kernel/principal.js';
import { sealFields } from '../security/secret-fields.js';
import type { Sealer } from '../security/sealer.js';
import type { Settings } from '../settings/settings.js';
import type { DatabaseService } from './database-service.js';

const KIND = 'migration-proxy';

export interface MigrationProxyInput {
  originUsername: string;
  originPassword: string;
  mappings: { originIP: string; originPort: number; rack: string; rackNodeOrdinal: number }[];
}

/**
 * The migration proxy that sits between an application and its origin cluster while it moves to the
 * database. Orrery keeps the configuration (the origin password sealed) and launches no proxy.
 */
export class MigrationProxyService {
  constructor(
    private readonly databases: DatabaseService,
    private readonly settings: Settings,
    private readonly sealer: Sealer,
  ) {}

  async launch(actor: Actor, databaseId: string, input: MigrationProxyInput): Promise<void> {
    const database = await this.databases.get(actor.principal.orgId, databaseId);
    if (database.status !== 'ACTIVE')
      throw conflict(`The database is ${database.status}; a migration proxy needs it ACTIVE.`);
    if (!input.originUsername.trim() || !input.originPassword)
      throw badRequest('originUsername and originPassword are required.');
    const seen = new Set<string>();
    for (const mapping of input.mappings) {
      if (!isIP(mapping.originIP)) throw badRequest(`originIP "${mapping.originIP}" is not an IP address.`);
      const key = `${mapping.originIP}:${mapping.originPort}`;
      if (seen.has(key)) throw badRequest(`${key} is mapped twice.`);
      seen.add(key);
    }
    const stored = sealFields({ ...input }, ['originPassword'], this.sealer);
    await this.settings.put(actor, databaseId, KIND, stored, {
      action: 'MIGRATION_PROXY_LAUNCHED',
      resource: databaseId,
      details: { originUsername: input.originUsername, origins: [...seen] },
    });
  }

  async remove(actor: Actor, databaseId: string): Promise<void> {
    await this.databases.get(actor.principal.orgId, databaseId);
    await this.settings.remove(actor, databaseId, KIND, { action: 'MIGRATION_PROXY_REMOVED', resource: databaseId });
  }
}
