import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import type { AppServer } from '../http/server.js';
import type { DevopsAcl } from './devops-acl-store.js';
import type { DevopsAclService } from './devops-acl-service.js';

const Entry = Type.Object({
  address: Type.String({ maxLength: 64, description: 'IPv4 or IPv6 address, or CIDR range' }),
  description: Type.Optional(Type.String({ maxLength: 256 })),
  enabled: Type.Optional(Type.Boolean({ default: true })),
});
const AclView = Type.Object({
  organizationId: Type.String(),
  enabled: Type.Boolean(),
  addresses: Type.Array(
    Type.Object({
      address: Type.String(),
      description: Type.String(),
      enabled: Type.Boolean(),
      lastUpdateDateTime: Type.String(),
    }),
  ),
});
const Params = Type.Object({ orgId: Type.String({ maxLength: 64 }) });
const ChangeQuery = Type.Object({
  allowSelfLockout: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        "Apply the list even though it refuses the caller's own current address (refused with 409 otherwise)",
    }),
  ),
});
/** The list guards the whole organization's API, so changing it takes an organization-level permission. */
const CHANGE_PERMISSION = { action: 'org-write' };
const tags = ['DevOps API access list'];

function view(orgId: string, acl: DevopsAcl) {
  return {
    organizationId: orgId,
    enabled: acl.enabled,
    addresses: acl.entries.map((e) => ({
      address: e.address,
      description: e.description,
      enabled: e.enabled,
      lastUpdateDateTime: e.updatedAt,
    })),
  };
}

export function registerDevopsAclRoutes(app: AppServer, acl: DevopsAclService): void {
  const path = '/v2/organizations/:orgId/devops-acl';
  app.get(
    path,
    {
      config: { permission: { action: 'accesslist-read' } },
      schema: { tags, summary: 'The IP access list of the DevOps API', params: Params, response: { 200: AclView } },
    },
    async (request) => view(request.params.orgId, await acl.get(actorOf(request), request.params.orgId)),
  );
  const changes = [
    {
      method: 'POST',
      summary: 'Add entries; the first enabled ones create and enable the list',
      apply: acl.append.bind(acl),
    },
    {
      method: 'PUT',
      summary: 'Replace the list; a list without enabled entries turns it off',
      apply: acl.replace.bind(acl),
    },
  ] as const;
  for (const change of changes) {
    app.route({
      method: change.method,
      url: path,
      config: { permission: CHANGE_PERMISSION },
      schema: {
        tags,
        summary: change.summary,
        params: Params,
        querystring: ChangeQuery,
        body: Type.Array(Entry, { maxItems: 1000 }),
        response: { 200: AclView },
      },
      handler: async (request) => {
        const options = { allowSelfLockout: request.query.allowSelfLockout ?? false };
        return view(
          request.params.orgId,
          await change.apply(actorOf(request), request.params.orgId, request.body, options),
        );
      },
    });
  }
}
