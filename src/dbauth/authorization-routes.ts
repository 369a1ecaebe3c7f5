import { Type } from 'typebox';
import { GATEWAY_AUTHORIZE } from '../iam/builtin-roles.js';
import { actorOf } from '../http/actor.js';
import type { AppServer } from '../http/server.js';
import type { AuthorizationService } from './authorization-service.js';

const Decision = Type.Object({
  allowed: Type.Boolean(),
  reason: Type.String(),
  principal: Type.Union([
    Type.Object({
      kind: Type.String(),
      clientId: Type.String(),
      orgId: Type.String(),
      roleIds: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
});

export function registerAuthorizationRoutes(app: AppServer, authorization: AuthorizationService): void {
  app.post(
    '/v2/data-gateway/authorize',
    {
      config: { permission: { action: GATEWAY_AUTHORIZE } },
      schema: {
        tags: ['Data gateways'],
        summary: 'Decide whether a data request may proceed',
        description:
          'An Orrery extension for data gateways (REST, Data API or CQL proxies). The caller is the gateway, with a token ' +
          `whose role grants \`${GATEWAY_AUTHORIZE}\` (the built-in Data Gateway role). The answer uses the same permission ` +
          "decision as the DevOps API, the database's state and its access list; denials are audited.",
        'x-orrery-extension': true,
        body: Type.Object({
          credential: Type.String({
            minLength: 1,
            maxLength: 4096,
            description: 'An auth token (X-Cassandra-Token), an AstraCS: token or a service-account JWT',
          }),
          address: Type.String({ maxLength: 64, description: "The gateway client's address" }),
          databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }),
          keyspace: Type.Optional(Type.String({ maxLength: 48 })),
          table: Type.Optional(Type.String({ maxLength: 48 })),
          action: Type.String({
            maxLength: 64,
            description: 'db-cql, db-rest, db-graphql, db-table-select, db-table-modify, ...',
          }),
        }),
        response: { 200: Decision },
      },
    },
    async (request) => authorization.decide(actorOf(request), request.body),
  );
}
