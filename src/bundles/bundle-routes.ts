import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { onDatabase } from '../databases/database-routes.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import { OBTAIN_CREDENTIALS, type BundleService } from './bundle-service.js';

const CredsUrl = Type.Object({
  downloadURL: Type.String(),
  downloadURLInternal: Type.String(),
  downloadURLMigrationProxy: Type.String(),
  downloadURLMigrationProxyInternal: Type.String(),
  datacenterID: Type.String(),
  datcenterID: Type.String({ description: 'The same as datacenterID, misspelt as some clients expect' }),
  customDomainBundles: Type.Optional(
    Type.Array(
      Type.Object({
        downloadURL: Type.String(),
        apiFQDN: Type.String(),
        cqlFQDN: Type.String(),
        dashboardFQDN: Type.String(),
        domain: Type.String(),
      }),
    ),
  ),
});
const tags = ['Secure connect bundles'];

export function registerBundleRoutes(
  app: AppServer,
  bundles: BundleService,
  base: (request: FastifyRequest) => string,
): void {
  app.post(
    '/v2/databases/:databaseId/secureBundleURL',
    {
      config: {
        permission: onDatabase(OBTAIN_CREDENTIALS),
      },
      schema: {
        tags,
        summary:
          'Signed links, good for five minutes, to download the secure connect bundle (one per datacenter with all=true)',
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
        params: Type.Object({
          datacenterId: Type.String({ pattern: '^[0-9A-Za-z-]{1,70}$' }),
          file: Type.String({ maxLength: 200 }),
        }),
        description:
          'The query string is exactly as the link was handed out (`expires`, `signature` and, for a custom domain, `domain`, each once); any other spelling is refused.',
      },
    },
    async (request, reply) => {
      const { datacenterId, file } = request.params;
      // The raw query string, not the parsed one: the parser would accept other spellings of the same link.
      const rawQuery = request.url.slice(request.url.indexOf('?') + 1 || request.url.length);
      const zip = await bundles.download(datacenterId, file, rawQuery);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(zip));
    },
  );
}
