import { Type } from 'typebox';
import { onDatabase } from '../databases/database-routes.js';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import { MAX_ACL_ENTRIES, normalizeAddress } from '../security/address-list.js';
import type { DatabaseAccessList } from './access-list-store.js';
import type { AccessListService } from './access-list-service.js';

const AddressRequest = Type.Object({
  address: Type.String({ maxLength: 64, description: 'IPv4 or IPv6 address, or CIDR range' }),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  description: Type.Optional(Type.String({ maxLength: 256, default: '' })),
});
const Addresses = Type.Array(AddressRequest, { maxItems: MAX_ACL_ENTRIES });
const AccessListRequest = Type.Object({
  addresses: Type.Optional(Addresses),
  configurations: Type.Optional(Type.Object({ accessListEnabled: Type.Optional(Type.Boolean()) })),
});
const AccessListResponse = Type.Object({
  organizationId: Type.String(),
  databaseId: Type.String(),
  addresses: Type.Array(
    Type.Object({
      address: Type.String(),
      enabled: Type.Boolean(),
      description: Type.String(),
      lastUpdateDateTime: Type.String(),
    }),
  ),
  configurations: Type.Object({ accessListEnabled: Type.Boolean() }),
});
const Params = Type.Object({ databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) });
const tags = ['Access lists'];

/** Go's time.String() layout with milliseconds, which both the Go and the Java clients read. */
function goTimeString(iso: string): string {
  const [date, time] = iso.split('T');
  const [clock, fraction = '000Z'] = time!.split('.');
  return `${date} ${clock!.replace('Z', '')}.${fraction.replace('Z', '').padEnd(3, '0').slice(0, 3)} +0000 UTC`;
}

function view(list: DatabaseAccessList) {
  return {
    organizationId: list.orgId,
    databaseId: list.databaseId,
    addresses: list.entries.map((e) => ({
      address: e.address,
      enabled: e.enabled,
      description: e.description,
      lastUpdateDateTime: goTimeString(e.updatedAt),
    })),
    configurations: { accessListEnabled: list.enabled },
  };
}

export function registerAccessListRoutes(app: AppServer, accessLists: AccessListService): void {
  const path = '/v2/databases/:databaseId/access-list';

  app.get(
    '/v2/access-lists',
    {
      config: { permission: { action: 'accesslist-read', filtered: true } },
      schema: {
        tags,
        summary: 'Every database access list in the organization that the caller may read',
        response: { 200: Type.Array(AccessListResponse) },
      },
    },
    async (request) => (await accessLists.listForOrg(principalOf(request))).map(view),
  );

  app.get(
    path,
    {
      config: { permission: onDatabase('accesslist-read') },
      schema: { tags, summary: "A database's IP access list", params: Params, response: { 200: AccessListResponse } },
    },
    async (request) => view(await accessLists.get(principalOf(request), request.params.databaseId)),
  );

  app.post(
    path,
    {
      config: { permission: onDatabase('accesslist-write') },
      schema: {
        tags,
        summary: 'Add addresses; the first ones create the list, enabled',
        params: Params,
        body: Addresses,
      },
    },
    async (request, reply) => {
      await accessLists.add(actorOf(request), request.params.databaseId, request.body);
      return reply.code(204).send();
    },
  );

  for (const [method, summary, write] of [
    ['PUT', 'Replace the whole list', accessLists.replace.bind(accessLists)],
    ['PATCH', 'Update the addresses given, and whether the list is enabled', accessLists.update.bind(accessLists)],
  ] as const) {
    app.route({
      method,
      url: path,
      config: { permission: onDatabase('accesslist-write') },
      schema: { tags, summary, params: Params, body: AccessListRequest },
      handler: async (request, reply) => {
        await write(actorOf(request), request.params.databaseId, request.body);
        return reply.code(204).send();
      },
    });
  }

  app.delete(
    path,
    {
      config: { permission: onDatabase('accesslist-write') },
      schema: {
        tags,
        summary: 'Remove the addresses given (repeat ?addresses=), or the whole list',
        params: Params,
        querystring: Type.Object({
          addresses: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_ACL_ENTRIES })),
        }),
      },
    },
    async (request, reply) => {
      await accessLists.remove(actorOf(request), request.params.databaseId, request.query.addresses);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v2/access-list/validate',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Check an access list without saving it',
        body: AccessListRequest,
        response: { 200: Type.Object({ valid: Type.Boolean(), validationFailures: Type.Array(Type.String()) }) },
      },
    },
    async (request) => {
      const failures = (request.body.addresses ?? [])
        .filter((entry) => !normalizeAddress(entry.address))
        .map((entry) => `"${entry.address}" is not an IPv4 or IPv6 address or CIDR range.`);
      return { valid: failures.length === 0, validationFailures: failures };
    },
  );

  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/v2/access-list/template',
      config: { permission: 'authenticated' },
      schema: { tags, summary: 'An example access list to start from', response: { 200: AccessListRequest } },
      handler: async () => ({
        addresses: [{ address: '203.0.113.0/24', enabled: true, description: 'Office network' }],
        configurations: { accessListEnabled: true },
      }),
    });
  }
}
