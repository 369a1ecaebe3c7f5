import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import { badRequest } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import type { Organization } from '../orgs/organization.js';
import { RoleSchema, roleView } from './role-schemas.js';
import type { UserService, UserWithRoles } from './user-service.js';

const UserSchema = Type.Object({
  UserID: Type.String(),
  Email: Type.String(),
  Status: Type.String(),
  Roles: Type.Array(RoleSchema),
});
const UserParams = Type.Object({ userID: Type.String({ maxLength: 64 }) });
const RoleIds = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 });
const tags = ['Users'];

// The organization key arrives as orgID (docs), OrgID (Java SDK) or orgId; all are accepted.
const InviteBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  roles: RoleIds,
  orgID: Type.Optional(Type.String({ maxLength: 64 })),
  OrgID: Type.Optional(Type.String({ maxLength: 64 })),
  orgId: Type.Optional(Type.String({ maxLength: 64 })),
});

function userView(user: UserWithRoles) {
  return { UserID: user.id, Email: user.email, Status: user.status, Roles: user.roles.map(roleView) };
}

export function registerUserRoutes(
  app: AppServer,
  users: UserService,
  findOrg: (orgId: string) => Promise<Organization | undefined>,
): void {
  app.get(
    '/v2/organizations/users',
    {
      config: { permission: { action: 'org-user-read' } },
      schema: {
        tags,
        summary: "List the organization's users",
        response: { 200: Type.Object({ OrgID: Type.String(), OrgName: Type.String(), Users: Type.Array(UserSchema) }) },
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const org = await findOrg(orgId);
      return { OrgID: orgId, OrgName: org?.name ?? '', Users: (await users.list(orgId)).map(userView) };
    },
  );

  app.put(
    '/v2/organizations/users',
    {
      config: { permission: { action: 'org-user-write' } },
      schema: { tags, summary: 'Invite a user by e-mail', body: InviteBody, response: { 200: UserSchema } },
    },
    async (request) => {
      const { email, roles, orgID, OrgID, orgId } = request.body;
      if (!email) throw badRequest('email is required.');
      return userView(await users.invite(actorOf(request), { email, roleIds: roles, orgId: orgID ?? OrgID ?? orgId }));
    },
  );

  app.get(
    '/v2/organizations/users/:userID',
    {
      config: { permission: { action: 'org-user-read' } },
      schema: { tags, summary: 'Get a user', params: UserParams, response: { 200: UserSchema } },
    },
    async (request) => userView(await users.get(principalOf(request).orgId, request.params.userID)),
  );

  app.delete(
    '/v2/organizations/users/:userID',
    {
      config: { permission: { action: 'org-user-write' } },
      schema: {
        tags,
        summary: 'Remove a user or withdraw an invitation',
        params: UserParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await users.remove(actorOf(request), request.params.userID);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/v2/organizations/users/:userID/roles',
    {
      config: { permission: { action: 'org-user-write' } },
      schema: {
        tags,
        summary: "Replace a user's roles",
        params: UserParams,
        body: Type.Object({ roles: RoleIds }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await users.setRoles(actorOf(request), request.params.userID, request.body.roles);
      return reply.code(204).send(null);
    },
  );
}
