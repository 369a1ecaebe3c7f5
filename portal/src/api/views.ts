/**
 * The DevOps API declares databases and regions as free-form objects (their exact shape follows
 * Astra's, field for field); these are the fields of them that the Portal reads.
 */
export interface DatacenterView {
  id: string;
  name: string;
  status: string;
  cloudProvider: string;
  region: string;
  capacityUnits: number;
  dataEndpointUrl: string;
  secureBundleUrl?: string;
}

export interface DatabaseView {
  id: string;
  status: string;
  creationTime?: string;
  availableActions?: string[];
  info: {
    name: string;
    keyspace: string;
    keyspaces: string[];
    cloudProvider: string;
    tier: string;
    capacityUnits: number;
    region: string;
    dbType?: string;
    datacenters: DatacenterView[];
  };
  apiEndpoint?: string;
}

export interface RegionView {
  name: string;
  displayName?: string;
  cloudProvider: string;
  zone?: string;
}
