import type { DatabaseRecord } from './database-store.js';
import { isClassic } from './database-service.js';
import type { RegionCatalogue, CloudProvider } from './regions.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 without fractions, as the real API writes its times. */
function rfc3339(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

function availableActions(record: DatabaseRecord): string[] {
  const classic = isClassic(record.tier);
  switch (record.status) {
    case 'ACTIVE':
      return [
        'addKeyspace', 'removeKeyspace', 'addDatacenters', 'terminateDatacenter', 'getCreds', 'terminate',
        ...(classic ? ['park', 'resize', 'resetPassword'] : []),
      ];
    case 'PARKED':
      return ['unpark', 'terminate'];
    case 'TERMINATING':
    case 'TERMINATED':
      return [];
    default:
      return ['terminate'];
  }
}

/** The database object as clients read it (see notes/devops-api.md §5.4 and notes/clients.md §5). */
export function databaseView(record: DatabaseRecord, regions: RegionCatalogue, appsDomain: string) {
  const region = regions.find(record.cloudProvider as CloudProvider, record.region);
  const host = `${record.id}-${record.region}`;
  const apps = `https://${host}.${appsDomain}`;
  const created = rfc3339(record.createdAt);
  const datacenter = {
    id: `${record.id}-1`,
    name: 'dc-1',
    tier: record.tier,
    status: '',
    dateCreated: created,
    cloudProvider: record.cloudProvider,
    region: record.region,
    regionZone: region?.zone ?? 'na',
    regionClassification: region?.classification ?? 'standard',
    capacityUnits: record.capacityUnits,
    cqlshUrl: `${apps}/cqlsh`,
    graphqlUrl: `${apps}/api/graphql`,
    dataEndpointUrl: `${apps}/api/rest`,
  };
  const additional = record.keyspaces.filter((k) => k !== record.keyspace);
  return {
    id: record.id,
    orgId: record.orgId,
    ownerId: record.ownerId,
    info: {
      name: record.name,
      keyspace: record.keyspace,
      keyspaces: record.keyspaces,
      additionalKeyspaces: additional,
      cloudProvider: record.cloudProvider,
      tier: record.tier,
      capacityUnits: record.capacityUnits,
      region: record.region,
      ...(record.dbType ? { dbType: record.dbType } : {}),
      engineType: null,
      datacenters: record.status === 'TERMINATED' ? [] : [datacenter],
    },
    creationTime: created,
    terminationTime: record.terminatedAt ? rfc3339(record.terminatedAt) : ZERO_TIME,
    lastUsageTime: rfc3339(record.updatedAt),
    status: record.status,
    observedStatus: record.status,
    ...(record.message ? { message: record.message } : {}),
    storage: { nodeCount: 3, replicationFactor: 1, totalStorage: 5 * record.capacityUnits, usedStorage: 0 },
    availableActions: availableActions(record),
    cost: {
      costPerMinCents: 0, costPerHourCents: 0, costPerDayCents: 0, costPerMonthCents: 0,
      costPerMinMRCents: 0, costPerHourMRCents: 0, costPerDayMRCents: 0, costPerMonthMRCents: 0,
      costPerMinParkedCents: 0, costPerHourParkedCents: 0, costPerDayParkedCents: 0, costPerMonthParkedCents: 0,
      costPerNetworkGbCents: 0, costPerWrittenGbCents: 0, costPerReadGbCents: 0,
    },
    metrics: { writeRequestsTotalCount: 0, readRequestsTotalCount: 0, liveDataSizeBytes: 0, errorsTotalCount: 0 },
    studioUrl: null,
    grafanaUrl: `https://${host}.dashboard.${appsDomain.replace(/^apps\./, '')}/d/cloud/dse-cluster-condensed?refresh=30s&orgId=1&kiosk=tv`,
    cqlshUrl: datacenter.cqlshUrl,
    graphqlUrl: datacenter.graphqlUrl,
    dataEndpointUrl: datacenter.dataEndpointUrl,
  };
}
