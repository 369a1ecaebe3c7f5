import { isLive, type DatabaseRecord, type DatacenterRecord } from './database-records.js';
import { isClassic } from './database-directory.js';
import type { RegionCatalogue, CloudProvider } from './regions.js';

/** The four signed secure-connect bundle links of a datacenter, as its view shows them. */
export interface BundleUrls {
  external: string;
  internal: string;
  proxy: string;
  proxyInternal: string;
}

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
        'addKeyspace',
        'removeKeyspace',
        'addDatacenters',
        'terminateDatacenter',
        'getCreds',
        'terminate',
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

/** How a view names the places a database is reached at. */
export interface Links {
  appsDomain: string;
  /** The base URL of a datacenter's data endpoint. */
  dataEndpoint(databaseId: string, region: string): string;
  /** Signed download links of a datacenter's secure connect bundles, when the caller may obtain the database's credentials. */
  bundles(database: { id: string; name: string }, datacenterId: string): BundleUrls | undefined;
}

/** A datacenter's own endpoints, which the database object repeats for its first live datacenter. */
function endpointsOf(datacenter: DatacenterRecord, links: Links) {
  const apps = links.dataEndpoint(datacenter.databaseId, datacenter.region);
  return { cqlshUrl: `${apps}/cqlsh`, graphqlUrl: `${apps}/api/graphql`, dataEndpointUrl: `${apps}/api/rest` };
}

function datacenterView(
  datacenter: DatacenterRecord,
  database: DatabaseRecord,
  regions: RegionCatalogue,
  links: Links,
) {
  const region = regions.find(datacenter.cloudProvider as CloudProvider, datacenter.region);
  return {
    id: datacenter.id,
    name: `dc-${datacenter.ordinal}`,
    tier: datacenter.tier,
    status: datacenter.status,
    dateCreated: rfc3339(datacenter.createdAt),
    cloudProvider: datacenter.cloudProvider,
    region: datacenter.region,
    regionZone: region?.zone ?? 'na',
    regionClassification: region?.classification ?? 'standard',
    capacityUnits: datacenter.capacityUnits,
    ...endpointsOf(datacenter, links),
    // Bundles exist for a database that serves requests, as on Astra.
    ...(database.status === 'ACTIVE' && datacenter.status === 'ACTIVE'
      ? bundleFields(links.bundles(database, datacenter.id))
      : {}),
  };
}

function bundleFields(urls: BundleUrls | undefined) {
  if (!urls) return {};
  return {
    secureBundleUrl: urls.external,
    secureBundleInternalUrl: urls.internal,
    secureBundleMigrationProxyUrl: urls.proxy,
    secureBundleMigrationProxyInternalUrl: urls.proxyInternal,
  };
}

/** A database's datacenters; terminated ones only when asked for. */
export function datacentersView(
  record: DatabaseRecord,
  regions: RegionCatalogue,
  links: Links,
  includeTerminated: boolean,
) {
  return record.datacenters
    .filter((dc) => includeTerminated || dc.status !== 'TERMINATED')
    .map((dc) => datacenterView(dc, record, regions, links));
}

/** The database object as the DevOps API's clients read it. */
export function databaseView(record: DatabaseRecord, regions: RegionCatalogue, links: Links) {
  const datacenters = datacentersView(record, regions, links, false);
  // Only its endpoints: bundle links are signed where they are returned, in `datacenters`.
  const primary = endpointsOf(record.datacenters.find(isLive) ?? record.datacenters[0]!, links);
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
      datacenters,
    },
    creationTime: rfc3339(record.createdAt),
    terminationTime: record.terminatedAt ? rfc3339(record.terminatedAt) : ZERO_TIME,
    lastUsageTime: rfc3339(record.updatedAt),
    status: record.status,
    observedStatus: record.status,
    ...(record.message ? { message: record.message } : {}),
    storage: { nodeCount: 3, replicationFactor: 1, totalStorage: 5 * record.capacityUnits, usedStorage: 0 },
    availableActions: availableActions(record),
    cost: {
      costPerMinCents: 0,
      costPerHourCents: 0,
      costPerDayCents: 0,
      costPerMonthCents: 0,
      costPerMinMRCents: 0,
      costPerHourMRCents: 0,
      costPerDayMRCents: 0,
      costPerMonthMRCents: 0,
      costPerMinParkedCents: 0,
      costPerHourParkedCents: 0,
      costPerDayParkedCents: 0,
      costPerMonthParkedCents: 0,
      costPerNetworkGbCents: 0,
      costPerWrittenGbCents: 0,
      costPerReadGbCents: 0,
    },
    metrics: { writeRequestsTotalCount: 0, readRequestsTotalCount: 0, liveDataSizeBytes: 0, errorsTotalCount: 0 },
    studioUrl: null,
    grafanaUrl: `https://${record.id}-${record.region}.dashboard.${links.appsDomain.replace(/^apps\./, '')}/d/cloud/dse-cluster-condensed?refresh=30s&orgId=1&kiosk=tv`,
    cqlshUrl: primary.cqlshUrl,
    graphqlUrl: primary.graphqlUrl,
    dataEndpointUrl: primary.dataEndpointUrl,
  };
}
