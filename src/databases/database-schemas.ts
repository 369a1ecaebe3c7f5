import { Type } from 'typebox';

const Url = Type.String({ format: 'uri' });
const Cents = Type.Integer();

/** A datacenter of a database, as the DevOps API writes it. */
export const DatacenterObject = Type.Object(
  {
    id: Type.String({ description: '<databaseId>-<n>' }),
    name: Type.String(),
    tier: Type.String(),
    status: Type.String(),
    dateCreated: Type.String({ description: 'RFC 3339' }),
    cloudProvider: Type.String(),
    region: Type.String(),
    regionZone: Type.String(),
    regionClassification: Type.String(),
    capacityUnits: Type.Integer(),
    cqlshUrl: Url,
    graphqlUrl: Url,
    dataEndpointUrl: Url,
    secureBundleUrl: Type.Optional(Url),
    secureBundleInternalUrl: Type.Optional(Url),
    secureBundleMigrationProxyUrl: Type.Optional(Url),
    secureBundleMigrationProxyInternalUrl: Type.Optional(Url),
  },
  {
    description:
      'A datacenter; the four signed bundle links (valid for five minutes) are present while the database and the datacenter are ACTIVE and the caller may obtain the credentials',
  },
);

/** The database object, as the DevOps API writes it: every field its clients read. */
export const DatabaseObject = Type.Object(
  {
    id: Type.String(),
    orgId: Type.String(),
    ownerId: Type.String(),
    info: Type.Object({
      name: Type.String(),
      keyspace: Type.String(),
      keyspaces: Type.Array(Type.String()),
      additionalKeyspaces: Type.Array(Type.String()),
      cloudProvider: Type.String(),
      tier: Type.String(),
      capacityUnits: Type.Integer(),
      region: Type.String(),
      dbType: Type.Optional(Type.String()),
      engineType: Type.Null(),
      datacenters: Type.Array(DatacenterObject),
    }),
    creationTime: Type.String({ description: 'RFC 3339' }),
    terminationTime: Type.String({ description: 'RFC 3339; 0001-01-01T00:00:00Z while not terminated' }),
    lastUsageTime: Type.String({ description: 'RFC 3339' }),
    status: Type.String(),
    observedStatus: Type.String(),
    message: Type.Optional(Type.String()),
    storage: Type.Object({
      nodeCount: Type.Integer(),
      replicationFactor: Type.Integer(),
      totalStorage: Type.Integer(),
      usedStorage: Type.Integer(),
    }),
    availableActions: Type.Array(Type.String()),
    cost: Type.Object({
      costPerMinCents: Cents,
      costPerHourCents: Cents,
      costPerDayCents: Cents,
      costPerMonthCents: Cents,
      costPerMinMRCents: Cents,
      costPerHourMRCents: Cents,
      costPerDayMRCents: Cents,
      costPerMonthMRCents: Cents,
      costPerMinParkedCents: Cents,
      costPerHourParkedCents: Cents,
      costPerDayParkedCents: Cents,
      costPerMonthParkedCents: Cents,
      costPerNetworkGbCents: Cents,
      costPerWrittenGbCents: Cents,
      costPerReadGbCents: Cents,
    }),
    metrics: Type.Object({
      writeRequestsTotalCount: Type.Integer(),
      readRequestsTotalCount: Type.Integer(),
      liveDataSizeBytes: Type.Integer(),
      errorsTotalCount: Type.Integer(),
    }),
    studioUrl: Type.Null(),
    grafanaUrl: Url,
    cqlshUrl: Url,
    graphqlUrl: Url,
    dataEndpointUrl: Url,
  },
  { description: 'A database, as in the Astra DevOps API' },
);
