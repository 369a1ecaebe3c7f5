/** The shapes of a database and its datacenters as the databases area hands them to other areas. */
export interface DatacenterRecord {
  id: string;
  databaseId: string;
  ordinal: number;
  tier: string;
  cloudProvider: string;
  region: string;
  capacityUnits: number;
  status: string;
  createdAt: string;
  terminatedAt: string | null;
}

/** Datacenters that serve requests or are on their way to it. */
export function isLive(datacenter: DatacenterRecord): boolean {
  return datacenter.status !== 'TERMINATING' && datacenter.status !== 'TERMINATED';
}

export interface DatabaseRecord {
  id: string;
  orgId: string;
  ownerId: string;
  name: string;
  status: string;
  cloudProvider: string;
  region: string;
  tier: string;
  capacityUnits: number;
  dbType: string | null;
  keyspace: string;
  keyspaces: string[];
  message: string | null;
  createdAt: string;
  updatedAt: string;
  terminatedAt: string | null;
  /** Ordered by ordinal; the first is the one the database was created in. */
  datacenters: DatacenterRecord[];
}
