import { Type } from 'typebox';
import { onDatabase } from '../databases/database-routes.js';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import type { PrivateLinkService } from './private-link-service.js';

const ACTION = 'db-manage-privateendpoint';
const Id = Type.String({ pattern: '^[0-9A-Za-z-]{1,70}$' });
const ClusterParams = Type.Object({ clusterID: Id });
const DatacenterParams = Type.Object({ clusterID: Id, datacenterID: Id });
const EndpointParams = Type.Object({ clusterID: Id, datacenterID: Id, endpointID: Type.String({ maxLength: 300 }) });
const Principals = Type.Object({
  allowedPrincipals: Type.Array(Type.String({ maxLength: 300 }), { minItems: 1, maxItems: 100 }),
});
const Endpoint = Type.Object({
  endpointID: Type.String(),
  description: Type.String(),
  linkID: Type.String(),
  status: Type.String(),
  createdDateTime: Type.String(),
});
const tags = ['Private links'];
const onCluster = onDatabase(ACTION, 'clusterID');
const base = '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID';
const acts = 'Orrery keeps the configuration and answers as the service would; it opens no network path.';

export function registerPrivateLinkRoutes(app: AppServer, links: PrivateLinkService): void {
  app.get(
    '/v2/organizations/private-link',
    {
      config: { permission: { action: ACTION, filtered: true } },
      schema: { tags, summary: 'Private links of every database the caller may manage' },
    },
    async (request) => links.forOrg(principalOf(request)),
  );
  app.get(
    '/v2/organizations/clusters/:clusterID/private-link',
    {
      config: { permission: onCluster },
      schema: { tags, summary: "A database's private links, by datacenter", params: ClusterParams },
    },
    async (request) => links.forCluster(principalOf(request).orgId, request.params.clusterID),
  );
  app.get(
    `${base}/private-link`,
    {
      config: { permission: onCluster },
      schema: { tags, summary: "A datacenter's private link", params: DatacenterParams },
    },
    async (request) =>
      links.forDatacenter(principalOf(request).orgId, request.params.clusterID, request.params.datacenterID),
  );
  for (const path of ['private-link', 'allowed-principals']) {
    app.post(
      `${base}/${path}`,
      {
        config: { permission: onCluster },
        schema: {
          tags,
          summary: 'Allow principals to connect',
          description: acts,
          params: DatacenterParams,
          body: Principals,
        },
      },
      async (request) =>
        links.allowPrincipals(
          actorOf(request),
          request.params.clusterID,
          request.params.datacenterID,
          request.body.allowedPrincipals,
        ),
    );
  }
  app.delete(
    `${base}/allowed-principals`,
    {
      config: { permission: onCluster },
      schema: {
        tags,
        summary: 'Stop allowing a principal',
        params: DatacenterParams,
        body: Type.Object({ allowedPrincipal: Type.String({ minLength: 1, maxLength: 300 }) }),
      },
    },
    async (request, reply) => {
      await links.removePrincipal(
        actorOf(request),
        request.params.clusterID,
        request.params.datacenterID,
        request.body.allowedPrincipal,
      );
      return reply.code(204).send();
    },
  );
  app.post(
    `${base}/endpoints`,
    {
      config: { permission: onCluster },
      schema: {
        tags,
        summary: 'Accept a private endpoint',
        description: acts,
        params: DatacenterParams,
        body: Type.Object({
          endpointID: Type.String({ minLength: 1, maxLength: 300 }),
          description: Type.Optional(Type.String({ maxLength: 500, default: '' })),
        }),
        response: { 200: Endpoint },
      },
    },
    async (request) =>
      links.acceptEndpoint(
        actorOf(request),
        request.params.clusterID,
        request.params.datacenterID,
        request.body.endpointID,
        request.body.description ?? '',
      ),
  );
  app.get(
    `${base}/endpoints/:endpointID`,
    {
      config: { permission: onCluster },
      schema: { tags, summary: 'A private endpoint', params: EndpointParams, response: { 200: Endpoint } },
    },
    async (request) =>
      links.endpoint(
        principalOf(request).orgId,
        request.params.clusterID,
        request.params.datacenterID,
        request.params.endpointID,
      ),
  );
  app.put(
    `${base}/endpoints/:endpointID`,
    {
      config: { permission: onCluster },
      schema: {
        tags,
        summary: "Change a private endpoint's description",
        params: EndpointParams,
        body: Type.Object({ description: Type.String({ maxLength: 500 }) }),
        response: { 200: Endpoint },
      },
    },
    async (request) =>
      links.describeEndpoint(
        actorOf(request),
        request.params.clusterID,
        request.params.datacenterID,
        request.params.endpointID,
        request.body.description,
      ),
  );
  app.delete(
    `${base}/endpoints/:endpointID`,
    {
      config: { permission: onCluster },
      schema: { tags, summary: 'Reject (remove) a private endpoint', params: EndpointParams },
    },
    async (request, reply) => {
      await links.rejectEndpoint(
        actorOf(request),
        request.params.clusterID,
        request.params.datacenterID,
        request.params.endpointID,
      );
      return reply.code(204).send();
    },
  );
}
