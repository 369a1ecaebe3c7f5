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
  addresses: Type.Array(Type.Object({ address: Type.String(), description: Type.String(), enabled: Type.Boolean(), lastUpdateDateTime: Type.String() })),
});
const Params = Type.Object({ orgId: Type.String({ maxLength: 64 }) });
const tags = ['DevOps API access list'];

function view(orgId: string, acl: DevopsAcl) {
  return {
    organizationId: orgId,
    enabled: acl.enabled,
    addresses: acl.entries.map((e) => ({ address: e.address, description: e.description, enabled: e.enabled, lastUpdateDateTime: e.updatedAt })),
  };
}

export function registerDevopsAclRoutes(app: AppServer, acl: DevopsAclService): void {
  const path = '/v2/organizations/:orgId/devops-acl';
  app.get(
    path,
    { config: { permission: { action: 'accesslist-read' } }, schema: { tags, summary: 'The IP access list of the DevOps API', params: Params, response: { 200: AclView } } },
    async (request) => view(request.params.orgId, await acl.get(actorOf(request), request.params.orgId)),
  );
  app.post(
    path,
    {
      config: { permission: { action: 'accesslist-write' } },
      schema: { tags, summary: 'Add entries; the first ones create and enable the list', params: Params, body: Type.Array(Entry, { maxItems: 1000 }), response: { 200: AclView } },
    },
    async (request) => view(request.params.orgId, await acl.append(actorOf(request), request.params.orgId, request.body)),
  );
  app.put(
    path,
    {
      config: { permission: { action: 'accesslist-write' } },
      schema: { tags, summary: 'Replace the list; an empty list turns it off', params: Params, body: Type.Array(Entry, { maxItems: 1000 }), response: { 200: AclView } },
    },
    async (request) => view(request.params.orgId, await acl.replace(actorOf(request), request.params.orgId, request.body)),
  );
}
