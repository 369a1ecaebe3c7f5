import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import { badRequest } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import { RoleInputSchema, RoleSchema, roleInput, roleView } from './role-schemas.js';
import type { RoleService } from './role-service.js';

const RoleParams = Type.Object({ roleID: Type.String({ maxLength: 64 }) });
const tags = ['Roles'];

function requireInput(body: Parameters<typeof roleInput>[0]) {
  const { name, policy } = roleInput(body);
  if (name === undefined) throw badRequest('name is required.');
  if (policy === undefined) throw badRequest('policy is required.');
  return { name, policy };
}

export function registerRoleRoutes(app: AppServer, roles: RoleService): void {
  app.get(
    '/v2/organizations/roles',
    {
      config: { permission: { action: 'org-role-read' } },
      schema: { tags, summary: 'List built-in and custom roles', response: { 200: Type.Array(RoleSchema) } },
    },
    async (request) => (await roles.list(principalOf(request))).map(roleView),
  );

  app.post(
    '/v2/organizations/roles',
    {
      config: { permission: { action: 'org-role-write' } },
      schema: { tags, summary: 'Create a custom role', body: RoleInputSchema, response: { 201: RoleSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(roleView(await roles.create(actorOf(request), requireInput(request.body ?? {})))),
  );

  app.get(
    '/v2/organizations/roles/:roleID',
    {
      config: { permission: { action: 'org-role-read' } },
      schema: { tags, summary: 'Get a role', params: RoleParams, response: { 200: RoleSchema } },
    },
    async (request) => roleView(await roles.get(principalOf(request), request.params.roleID)),
  );

  app.put(
    '/v2/organizations/roles/:roleID',
    {
      config: { permission: { action: 'org-role-write' } },
      schema: {
        tags,
        summary: 'Replace a custom role; tokens holding it get the change on their next request',
        params: RoleParams,
        body: RoleInputSchema,
        response: { 200: RoleSchema },
      },
    },
    async (request) =>
      roleView(await roles.update(actorOf(request), request.params.roleID, requireInput(request.body ?? {}))),
  );

  app.delete(
    '/v2/organizations/roles/:roleID',
    {
      config: { permission: { action: 'org-role-delete' } },
      schema: {
        tags,
        summary: 'Delete a custom role that no token or user holds',
        params: RoleParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await roles.delete(actorOf(request), request.params.roleID);
      return reply.code(204).send(null);
    },
  );
}
