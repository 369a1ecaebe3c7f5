import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import type { TokenService } from './token-service.js';
import type { TokenRecord } from './token-store.js';

const CreateTokenBody = Type.Object({
  roles: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'role IDs' }),
  tokenExpiry: Type.Optional(
    Type.String({
      maxLength: 64,
      format: 'date-time',
      description:
        'RFC 3339 with a time zone; absent means the token never expires, or expires with the calling token when that one has an expiry',
    }),
  ),
  description: Type.Optional(Type.String({ maxLength: 256 })),
  orgId: Type.Optional(Type.String({ maxLength: 64 })),
});

const CreatedToken = Type.Object({
  clientId: Type.String(),
  secret: Type.String({ description: 'Shown once; pairs with clientId wherever a username and password are taken' }),
  orgId: Type.String(),
  roles: Type.Array(Type.String()),
  token: Type.String({ description: 'Shown once: AstraCS:<clientId>:<hex SHA-256 of the secret>' }),
  generatedOn: Type.String(),
  tokenExpiry: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
});

const ListedToken = Type.Object({
  clientId: Type.String(),
  roles: Type.Array(Type.String()),
  generatedOn: Type.String(),
  description: Type.String(),
  tokenExpiry: Type.Union([Type.String(), Type.Null()]),
});

const ClientIdParams = Type.Object({ clientId: Type.String({ maxLength: 64 }) });
const tags = ['Tokens'];

function listed(token: TokenRecord) {
  return {
    clientId: token.clientId,
    roles: token.roleIds,
    generatedOn: token.createdAt,
    description: token.description ?? '',
    tokenExpiry: token.expiresAt,
  };
}

/** `/v2/tokens` and the older `/v2/clientIdSecrets` forms serve the same organization tokens. */
export function registerTokenRoutes(app: AppServer, tokens: TokenService): void {
  for (const [path, view] of [
    ['/v2/tokens', 'tokens'],
    ['/v2/clientIdSecrets', 'clientIdSecrets'],
  ] as const) {
    app.post(
      path,
      {
        config: { permission: { action: 'org-token-write' } },
        schema: {
          tags,
          summary: 'Create an application token',
          body: CreateTokenBody,
          response: { 200: CreatedToken },
        },
      },
      async (request) => {
        const { roles, tokenExpiry, description, orgId } = request.body;
        const issued = await tokens.create(actorOf(request), { roleIds: roles, tokenExpiry, description, orgId });
        const { record } = issued;
        return {
          clientId: record.clientId,
          secret: issued.secret!,
          orgId: record.orgId,
          roles: record.roleIds,
          token: issued.token,
          generatedOn: record.createdAt,
          ...(record.expiresAt ? { tokenExpiry: record.expiresAt } : {}),
          ...(record.description ? { description: record.description } : {}),
        };
      },
    );

    app.get(
      path,
      {
        config: { permission: { action: 'org-token-read' } },
        schema: {
          tags,
          summary: "List the organization's tokens, without secrets",
          response: { 200: Type.Object({ clients: Type.Array(ListedToken) }) },
        },
      },
      async (request) => ({ clients: (await tokens.list(principalOf(request), view)).map(listed) }),
    );
  }

  const revokePaths = [
    ['/v2/tokens/:clientId', 'tokens'],
    ['/v2/clientIdSecrets/:clientId', 'clientIdSecrets'],
    ['/v2/clientIdSecret/:clientId', 'clientIdSecrets'],
  ] as const;
  for (const [path, view] of revokePaths) {
    app.delete(
      path,
      {
        config: { permission: { action: 'org-token-write' } },
        schema: { tags, summary: 'Revoke a token; it is refused from the next request on', params: ClientIdParams },
      },
      async (request, reply) => {
        await tokens.revoke(actorOf(request), request.params.clientId, view);
        return reply.code(200).send();
      },
    );
  }

  app.get(
    '/v2/organizations/enterprise-tokens',
    {
      config: { permission: { action: 'org-token-read' } },
      schema: {
        tags,
        summary: "The tokens of the organization's enterprise, which can act on the organization",
        'x-orrery-extension': true,
        response: { 200: Type.Object({ clients: Type.Array(ListedToken) }) },
      },
    },
    async (request) => ({ clients: (await tokens.listEnterpriseTokens(principalOf(request))).map(listed) }),
  );

  app.delete(
    '/v2/organizations/enterprise-tokens/:clientId',
    {
      config: { permission: { action: 'org-token-write' } },
      schema: {
        tags,
        summary:
          "Revoke a token of the organization's enterprise; the caller must hold every permission the token holds",
        'x-orrery-extension': true,
        params: ClientIdParams,
      },
    },
    async (request, reply) => {
      await tokens.revokeEnterpriseToken(actorOf(request), request.params.clientId);
      return reply.code(200).send();
    },
  );
}
