import { Type } from 'typebox';
import { parseProvider, type RegionCatalogue } from '../databases/regions.js';
import { badRequest, notFound } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';

const tags = ['Provisioned capacity units'];
const PcuType = Type.Object({
  type: Type.String(),
  region: Type.String(),
  provider: Type.String(),
  details: Type.Object({ vCPU: Type.Integer(), memory: Type.String(), disk_cache: Type.String() }),
  enabled: Type.Boolean(),
});

/**
 * The PCU look-ups clients make. Orrery has no provisioned-capacity groups (its simulated data plane
 * has no capacity to reserve): the group list is empty, and each region offers one general-purpose type.
 */
export function registerPcuRoutes(app: AppServer, regions: RegionCatalogue): void {
  app.post(
    '/v2/pcus/actions/get',
    {
      config: { permission: { action: 'org-db-view' } },
      schema: {
        tags,
        summary: 'PCU groups, all or by id (Orrery has none)',
        body: Type.Object({
          pcuGroupUUIDs: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })),
        }),
        response: { 200: Type.Array(Type.Unknown()) },
      },
    },
    async (request) => {
      const ids = request.body.pcuGroupUUIDs ?? [];
      if (ids.length > 0) throw notFound(`No PCU group ${ids.join(', ')}.`);
      return [];
    },
  );
  app.get(
    '/v2/pcus/types',
    {
      config: { permission: { action: 'org-db-create' } },
      schema: {
        tags,
        summary: 'The PCU types offered, by provider and region',
        querystring: Type.Object({
          provider: Type.Optional(Type.String({ maxLength: 20 })),
          region: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Type.Array(PcuType) },
      },
    },
    async (request) => {
      const { provider, region } = request.query;
      const cloud = provider === undefined ? undefined : parseProvider(provider);
      if (provider !== undefined && !cloud) throw badRequest(`provider "${provider}" is not one of AWS, GCP, AZURE.`);
      return regions.enabled
        .filter((r) => (!cloud || r.cloudProvider === cloud) && (!region || r.name === region.toLowerCase()))
        .map((r) => ({
          type: 'generalPurpose',
          region: r.name,
          provider: r.cloudProvider.toLowerCase(),
          details: { vCPU: 16, memory: '64GB', disk_cache: '500GB' },
          enabled: true,
        }));
    },
  );
}
