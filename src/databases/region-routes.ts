import { Type } from 'typebox';
import { badRequest } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import type { RegionCatalogue } from './regions.js';

const tags = ['Regions'];

export function registerRegionRoutes(app: AppServer, regions: RegionCatalogue): void {
  app.get(
    '/v2/regions/serverless',
    {
      config: { permission: { action: 'org-db-create' } },
      schema: {
        tags,
        summary: 'Regions where serverless databases can be created',
        querystring: Type.Object({
          'region-type': Type.Optional(Type.String({ maxLength: 20 })),
          'filter-by-org': Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: { 200: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
      },
    },
    async (request) => {
      const regionType = (request.query['region-type'] ?? 'serverless').toLowerCase();
      if (!['all', 'vector', 'serverless'].includes(regionType))
        throw badRequest('region-type must be all, vector or serverless.');
      const filter = request.query['filter-by-org']?.toLowerCase();
      if (filter !== undefined && filter !== 'enabled' && filter !== 'disabled')
        throw badRequest('filter-by-org must be enabled or disabled.');
      // "enabled" (what clients send by default) lists the regions the organization may use; "disabled" lists every region.
      const listed = filter === 'disabled' ? regions.regions : regions.enabled;
      return listed.map((r) => ({
        classification: r.classification,
        cloudProvider: r.cloudProvider,
        displayName: r.displayName,
        enabled: r.enabled,
        name: r.name,
        region_type: regionType === 'vector' ? 'vector' : 'serverless',
        reservedForQualifiedUsers: false,
        zone: r.zone,
      }));
    },
  );

  app.get(
    '/v2/availableRegions',
    {
      config: { permission: { action: 'org-db-create' } },
      schema: {
        tags,
        summary: 'Tier, provider and region combinations',
        response: { 200: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
      },
    },
    async () => {
      const cost = {
        costPerMinCents: 0,
        costPerHourCents: 0,
        costPerDayCents: 0,
        costPerMonthCents: 0,
        costPerMinParkedCents: 0,
        costPerHourParkedCents: 0,
        costPerDayParkedCents: 0,
        costPerMonthParkedCents: 0,
      };
      return regions.enabled.map((r) => ({
        tier: 'serverless',
        cloudProvider: r.cloudProvider,
        description: r.displayName,
        region: r.name,
        regionDisplay: r.displayName,
        regionContinent: r.zone,
        cost,
        databaseCountUsed: 0,
        databaseCountLimit: 1000,
        capacityUnitsUsed: 0,
        capacityUnitsLimit: 1000,
        defaultStoragePerCapacityUnitGb: 5,
      }));
    },
  );
}
