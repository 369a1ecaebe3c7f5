import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { onDatabase } from '../databases/database-routes.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import type { BundleService } from './bundle-service.js';

const CredsUrl = Type.Object({
  downloadURL: Type.String(),
  downloadURLInternal: Type.String(),
  downloadURLMigrationProxy: Type.String(),
  downloadURLMigrationProxyInternal: Type.String(),
  datacenterID: Type.String(),
  datcenterID: Type.String({ description: 'The same as datacenterID, misspelt as some clients expect' }),
  customDomainBundles: Type.Optional(
    Type.Array(Type.Object({ downloadURL: Type.String(), apiFQDN: Type.String(), cqlFQDN: Type.String(), dashboardFQDN: Type.String(), domain: Type.String() })),
  ),
});
const tags = ['Secure connect bundles'];

export function registerBundleRoutes(app: AppServer, bundles: BundleService, base: (request: FastifyRequest) => string): void {
  app.post(
    '/v2/databases/:databaseId/secureBundleURL',
    {
      config: {
        permission: onDatabase('db-cql'),
      },
      schema: {
        tags,
        summary: 'Signed links, good for five minutes, to download the secure connect bundle (one per datacenter with all=true)',
        params: Type.Object({ databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) }),
        querystring: Type.Object({ all: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Type.Union([CredsUrl, Type.Array(CredsUrl)]) },
      },
    },
    async (request) => {
      const urls = await bundles.credsUrls(principalOf(request).orgId, request.params.databaseId, base(request));
      return request.query.all ? urls : urls[0];
    },
  );

  app.get(
    '/bundles/:datacenterId/:file',
    {
      // The signature in the link is the credential, as with a presigned object-store link.
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Download a secure connect bundle through a signed link',
        params: Type.Object({ datacenterId: Type.String({ pattern: '^[0-9A-Za-z-]{1,70}$' }), file: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ expires: Type.String({ maxLength: 20 }), signature: Type.String({ maxLength: 100 }), domain: Type.Optional(Type.String({ maxLength: 253 })) }),
      },
    },
    async (request, reply) => {
      const { datacenterId, file } = request.params;
      const zip = await bundles.download(datacenterId, file, request.query.expires, request.query.signature, request.query.domain);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(zip));
    },
  );
}
