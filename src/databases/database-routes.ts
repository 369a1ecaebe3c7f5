import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import { badRequest } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import type { Principal } from '../kernel/principal.js';
import { type DatabaseService } from './database-service.js';
import { databaseDrn } from './database-directory.js';
import { DatabaseObject, DatacenterObject } from './database-schemas.js';
import { databaseView, datacentersView, type Links } from './database-view.js';
import { parseProvider, type RegionCatalogue } from './regions.js';

const INCLUDE = [
  'nonterminated',
  'all',
  'active',
  'pending',
  'preparing',
  'prepared',
  'initializing',
  'parked',
  'parking',
  'unparking',
  'terminating',
  'terminated',
  'resizing',
  'error',
  'maintenance',
  'hibernating',
  'hibernated',
  'resuming',
];

// Database ids are UUIDs; anything else cannot name one, so it is refused before the store is asked.
const DatabaseId = Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' });
const DatabaseParams = Type.Object({ databaseId: DatabaseId });
const KeyspaceParams = Type.Object({ databaseId: DatabaseId, keyspaceName: Type.String({ maxLength: 100 }) });
const tags = ['Databases'];

/** A permission on the database the route's :databaseId names. */
export const onDatabase = (action: string, param = 'databaseId') => ({
  action,
  resource: (request: FastifyRequest, principal: Principal) =>
    databaseDrn(principal.orgId, (request.params as Record<string, string>)[param]!),
});
const onKeyspace = (action: string) => ({
  action,
  resource: (request: FastifyRequest, principal: Principal) => {
    const { databaseId, keyspaceName } = request.params as { databaseId: string; keyspaceName: string };
    return `${databaseDrn(principal.orgId, databaseId)}:keyspace:${keyspaceName}`;
  },
});

/** Clients send include as NONTERMINATED, nonterminated or non_terminated; all mean the same. */
function parseInclude(value: string | undefined): string {
  const include = (value ?? 'nonterminated').toLowerCase().replaceAll('_', '');
  if (!INCLUDE.includes(include)) throw badRequest(`include "${value}" is not one of ${INCLUDE.join(', ')}.`);
  return include;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 25;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw badRequest('limit must be a whole number of at least 1.');
  return Math.min(Number(value), 100);
}

/** `links` names, for one request, where databases are reached (data endpoints, bundle downloads). */
export function registerDatabaseRoutes(
  app: AppServer,
  databases: DatabaseService,
  regions: RegionCatalogue,
  links: (request: FastifyRequest) => Links,
): void {
  app.post(
    '/v2/databases',
    {
      config: { permission: { action: 'org-db-create' } },
      schema: {
        tags,
        summary: 'Create a database; its id comes back in the Location header',
        body: Type.Object({
          name: Type.String({ maxLength: 100 }),
          cloudProvider: Type.String({ maxLength: 20 }),
          region: Type.String({ maxLength: 64 }),
          tier: Type.Optional(Type.String({ maxLength: 20, default: 'serverless' })),
          capacityUnits: Type.Optional(Type.Integer({ default: 1 })),
          keyspace: Type.Optional(Type.String({ maxLength: 100 })),
          dbType: Type.Optional(Type.String({ maxLength: 20 })),
          user: Type.Optional(Type.String({ maxLength: 100 })),
          password: Type.Optional(Type.String({ maxLength: 300 })),
        }),
      },
    },
    async (request, reply) => {
      const record = await databases.create(actorOf(request), request.body);
      return reply.code(201).header('location', record.id).send();
    },
  );

  app.get(
    '/v2/databases',
    {
      config: { permission: { action: 'org-db-view', filtered: true } },
      schema: {
        tags,
        summary: 'List the databases the caller may view, ordered by id',
        querystring: Type.Object({
          include: Type.Optional(Type.String({ maxLength: 40 })),
          provider: Type.Optional(Type.String({ maxLength: 20 })),
          limit: Type.Optional(Type.String({ maxLength: 10 })),
          starting_after: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Type.Array(DatabaseObject) },
      },
    },
    async (request) => {
      const { include, provider, limit, starting_after } = request.query;
      let providerFilter: string | undefined;
      if (provider !== undefined && provider.toUpperCase() !== 'ALL') {
        providerFilter = parseProvider(provider);
        if (!providerFilter) throw badRequest(`provider "${provider}" is not one of ALL, AWS, GCP, AZURE.`);
      }
      const records = await databases.list(principalOf(request), {
        include: parseInclude(include),
        provider: providerFilter,
        limit: parseLimit(limit),
        after: starting_after,
      });
      const requestLinks = links(request);
      return records.map((record) => databaseView(record, regions, requestLinks));
    },
  );

  app.get(
    '/v2/databases/:databaseId',
    {
      config: { permission: onDatabase('org-db-view') },
      schema: {
        tags,
        summary: 'Get a database (terminated ones too)',
        params: DatabaseParams,
        response: { 200: DatabaseObject },
      },
    },
    async (request) =>
      databaseView(await databases.get(principalOf(request).orgId, request.params.databaseId), regions, links(request)),
  );

  app.get(
    '/v2/databases/:databaseId/datacenters',
    {
      config: { permission: onDatabase('org-db-view') },
      schema: {
        tags,
        summary: "A database's datacenters (terminated ones too with all=true)",
        params: DatabaseParams,
        querystring: Type.Object({ all: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Type.Array(DatacenterObject) },
      },
    },
    async (request) => {
      const record = await databases.get(principalOf(request).orgId, request.params.databaseId);
      return datacentersView(record, regions, links(request), request.query.all ?? false);
    },
  );

  app.post(
    '/v2/databases/:databaseId/datacenters',
    {
      config: { permission: onDatabase('db-manage-region') },
      schema: {
        tags,
        summary: 'Add datacenters in further regions',
        params: DatabaseParams,
        body: Type.Array(
          Type.Object({
            tier: Type.Optional(Type.String({ maxLength: 20 })),
            cloudProvider: Type.String({ maxLength: 20 }),
            region: Type.String({ maxLength: 64 }),
          }),
          { maxItems: 16 },
        ),
      },
    },
    async (request, reply) => {
      await databases.addDatacenters(actorOf(request), request.params.databaseId, request.body);
      return reply.code(201).send();
    },
  );

  app.post(
    '/v2/databases/:databaseId/datacenters/:datacenterId/terminate',
    {
      config: { permission: onDatabase('db-manage-region') },
      schema: {
        tags,
        summary: 'Terminate one datacenter of a multi-region database',
        params: Type.Object({ databaseId: DatabaseId, datacenterId: Type.String({ pattern: '^[0-9A-Za-z-]{1,70}$' }) }),
      },
    },
    async (request, reply) => {
      await databases.terminateDatacenter(actorOf(request), request.params.databaseId, request.params.datacenterId);
      return reply.code(202).send();
    },
  );

  app.post(
    '/v2/databases/:databaseId/resetPassword',
    {
      config: { permission: onDatabase('org-db-passwordreset') },
      schema: {
        tags,
        summary: 'Set the user and password of a classic database',
        params: DatabaseParams,
        body: Type.Object({ username: Type.String({ maxLength: 100 }), password: Type.String({ maxLength: 300 }) }),
      },
    },
    async (request, reply) => {
      await databases.resetPassword(
        actorOf(request),
        request.params.databaseId,
        request.body.username,
        request.body.password,
      );
      return reply.code(202).send();
    },
  );

  for (const [path, action, run] of [
    ['terminate', 'org-db-terminate', databases.terminate.bind(databases)],
    ['park', 'org-db-suspend', databases.park.bind(databases)],
    ['unpark', 'org-db-suspend', databases.unpark.bind(databases)],
  ] as const) {
    app.post(
      `/v2/databases/:databaseId/${path}`,
      {
        config: { permission: onDatabase(action) },
        schema: { tags, summary: `${path[0]!.toUpperCase()}${path.slice(1)} a database`, params: DatabaseParams },
      },
      async (request, reply) => {
        await run(actorOf(request), request.params.databaseId);
        return reply.code(202).send();
      },
    );
  }

  app.post(
    '/v2/databases/:databaseId/resize',
    {
      config: { permission: onDatabase('org-db-expand') },
      schema: {
        tags,
        summary: 'Resize a classic database to a total number of capacity units',
        params: DatabaseParams,
        body: Type.Object({ capacityUnits: Type.Integer() }),
      },
    },
    async (request, reply) => {
      await databases.resize(actorOf(request), request.params.databaseId, request.body.capacityUnits);
      return reply.code(202).send();
    },
  );

  app.post(
    '/v2/databases/:databaseId/keyspaces/:keyspaceName',
    {
      config: { permission: onKeyspace('db-keyspace-create') },
      schema: { tags: ['Keyspaces'], summary: 'Add a keyspace', params: KeyspaceParams },
    },
    async (request, reply) => {
      await databases.addKeyspace(actorOf(request), request.params.databaseId, request.params.keyspaceName);
      return reply.code(201).send();
    },
  );

  app.delete(
    '/v2/databases/:databaseId/keyspaces/:keyspaceName',
    {
      config: { permission: onKeyspace('db-keyspace-drop') },
      schema: {
        tags: ['Keyspaces'],
        summary: 'Drop a keyspace (204 when there is none of that name)',
        params: KeyspaceParams,
      },
    },
    async (request, reply) => {
      const dropped = await databases.dropKeyspace(
        actorOf(request),
        request.params.databaseId,
        request.params.keyspaceName,
      );
      return reply.code(dropped ? 202 : 204).send();
    },
  );
}
