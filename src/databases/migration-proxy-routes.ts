import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import type { AppServer } from '../http/server.js';
import { onDatabase } from './database-routes.js';
import type { MigrationProxyService } from './migration-proxy-service.js';

const Params = Type.Object({ databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) });
const tags = ['Migration proxy'];

export function registerMigrationProxyRoutes(app: AppServer, proxies: MigrationProxyService): void {
  app.put(
    '/v2/databases/:databaseId/migrationProxy',
    {
      config: { permission: onDatabase('org-db-managemigratorproxy') },
      schema: {
        tags,
        summary: 'Launch or reconfigure the migration proxy in front of an origin cluster',
        description: 'Orrery keeps the configuration, with the origin password sealed; it starts no proxy.',
        params: Params,
        body: Type.Object({
          originUsername: Type.String({ minLength: 1, maxLength: 256 }),
          originPassword: Type.String({ minLength: 1, maxLength: 256 }),
          mappings: Type.Array(
            Type.Object({
              originIP: Type.String({ maxLength: 64 }),
              originPort: Type.Integer({ minimum: 1, maximum: 65535 }),
              rack: Type.String({ minLength: 1, maxLength: 64 }),
              rackNodeOrdinal: Type.Integer({ minimum: 0, maximum: 1000 }),
            }),
            { minItems: 1, maxItems: 100 },
          ),
        }),
      },
    },
    async (request, reply) => {
      await proxies.launch(actorOf(request), request.params.databaseId, request.body);
      return reply.code(202).send();
    },
  );
  app.delete(
    '/v2/databases/:databaseId/migrationProxy',
    {
      config: { permission: onDatabase('org-db-managemigratorproxy') },
      schema: { tags, summary: 'Remove the migration proxy', params: Params },
    },
    async (request, reply) => {
      await proxies.remove(actorOf(request), request.params.databaseId);
      return reply.code(202).send();
    },
  );
}
