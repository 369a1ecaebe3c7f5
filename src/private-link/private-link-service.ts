import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { type DatabaseService } from '../databases/database-service.js';
import { databaseDrn } from '../databases/database-directory.js';
import { isLive, type DatabaseRecord, type DatacenterRecord } from '../databases/database-records.js';
import { badRequest, conflict, notFound } from '../kernel/errors.js';
import { isAllowed } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
import type { Settings } from '../settings/settings.js';

const KIND = 'private-link';
const MAX_PRINCIPALS = 100;
const MAX_ENDPOINTS = 100;

export interface PrivateEndpoint {
  endpointID: string;
  description: string;
  linkID: string;
  status: 'Accepted' | 'Rejected';
  createdDateTime: string;
}

interface PrivateLink {
  allowedPrincipals: string[];
  endpoints: PrivateEndpoint[];
}

const PRINCIPALS: Record<string, { pattern: RegExp; example: string }> = {
  AWS: {
    pattern: /^(\d{12}|arn:aws:iam::\d{12}:(root|role\/[\w+=,.@/-]{1,128}|user\/[\w+=,.@/-]{1,128}))$/,
    example: 'arn:aws:iam::123456789012:role/admin',
  },
  GCP: { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, example: 'a GCP project id' },
  AZURE: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    example: 'an Azure subscription id',
  },
};
const ENDPOINT_IDS: Record<string, RegExp> = {
  AWS: /^vpce-[0-9a-f]{8,17}$/,
  GCP: /^[A-Za-z0-9_.:/-]{1,256}$/,
  AZURE: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/[^/]+$/i,
};

const EMPTY: PrivateLink = { allowedPrincipals: [], endpoints: [] };

function findEndpoint(link: PrivateLink, datacenterId: string, endpointID: string): PrivateEndpoint {
  const found = link.endpoints.find((e) => e.endpointID === endpointID);
  if (!found) throw notFound(`No private endpoint ${endpointID} on ${datacenterId}.`);
  return found;
}

function datacenterOutput(datacenter: DatacenterRecord, link: PrivateLink) {
  return {
    serviceName: serviceName(datacenter),
    allowedPrincipals: link.allowedPrincipals,
    datacenterID: datacenter.id,
    endpoints: link.endpoints,
  };
}

/** The provider-side name of the endpoint service a datacenter would expose; stable per datacenter. */
function serviceName(datacenter: DatacenterRecord): string {
  const hex = createHash('sha256').update(datacenter.id).digest('hex');
  if (datacenter.cloudProvider === 'AWS') return `com.amazonaws.vpce.${datacenter.region}.vpce-svc-${hex.slice(0, 17)}`;
  if (datacenter.cloudProvider === 'GCP')
    return `projects/orrery-${hex.slice(0, 10)}/regions/${datacenter.region}/serviceAttachments/${datacenter.id}`;
  return `/subscriptions/${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}/resourceGroups/orrery/providers/Microsoft.Network/privateLinkServices/${datacenter.id}`;
}

/**
 * Private endpoints to a database's datacenters: allowed principals and accepted endpoints. Orrery
 * keeps them and answers as the service would; it opens no network path.
 */
export class PrivateLinkService {
  constructor(
    private readonly databases: DatabaseService,
    private readonly settings: Settings,
    private readonly clock: Clock,
  ) {}

  /** Every database with a private link that the caller may manage, with its datacenters. */
  async forOrg(principal: Principal) {
    const scopes = await this.settings.list<PrivateLink>(principal.orgId, KIND);
    const databaseIds = [...new Set(scopes.map((s) => s.scope.replace(/-\d+$/, '')))].filter((id) =>
      isAllowed(principal.policies, principal.orgId, 'db-manage-privateendpoint', databaseDrn(principal.orgId, id)),
    );
    const clusters = [];
    for (const id of databaseIds) clusters.push(await this.forCluster(principal.orgId, id));
    return { clusters };
  }

  async forCluster(orgId: string, clusterId: string) {
    const database = await this.databases.get(orgId, clusterId);
    const datacenters = [];
    for (const datacenter of database.datacenters.filter(isLive))
      datacenters.push(datacenterOutput(datacenter, await this.#link(datacenter.id)));
    return { clusterID: database.id, datacenters };
  }

  async forDatacenter(orgId: string, clusterId: string, datacenterId: string) {
    const datacenter = await this.#datacenter(orgId, clusterId, datacenterId);
    return datacenterOutput(datacenter, await this.#link(datacenterId));
  }

  async allowPrincipals(actor: Actor, clusterId: string, datacenterId: string, principals: string[]) {
    const datacenter = await this.#datacenter(actor.principal.orgId, clusterId, datacenterId);
    const rule = PRINCIPALS[datacenter.cloudProvider]!;
    const bad = principals.find((p) => !rule.pattern.test(p));
    if (bad !== undefined)
      throw badRequest(
        `"${bad}" is not an allowed principal for ${datacenter.cloudProvider} (expected ${rule.example}).`,
      );
    const link = await this.#change(actor, datacenterId, 'PRIVATE_LINK_PRINCIPALS_ADDED', { principals }, (current) => {
      const allowedPrincipals = [...new Set([...current.allowedPrincipals, ...principals])];
      if (allowedPrincipals.length > MAX_PRINCIPALS)
        throw badRequest(`A private link has at most ${MAX_PRINCIPALS} allowed principals.`);
      return { ...current, allowedPrincipals };
    });
    return { serviceName: serviceName(datacenter), allowedPrincipals: link.allowedPrincipals };
  }

  async removePrincipal(actor: Actor, clusterId: string, datacenterId: string, principal: string): Promise<void> {
    await this.#datacenter(actor.principal.orgId, clusterId, datacenterId);
    await this.#change(actor, datacenterId, 'PRIVATE_LINK_PRINCIPAL_REMOVED', { principal }, (current) => {
      if (!current.allowedPrincipals.includes(principal))
        throw notFound(`${principal} is not an allowed principal of ${datacenterId}.`);
      return { ...current, allowedPrincipals: current.allowedPrincipals.filter((p) => p !== principal) };
    });
  }

  async acceptEndpoint(
    actor: Actor,
    clusterId: string,
    datacenterId: string,
    endpointID: string,
    description: string,
  ): Promise<PrivateEndpoint> {
    const datacenter = await this.#datacenter(actor.principal.orgId, clusterId, datacenterId);
    if (!ENDPOINT_IDS[datacenter.cloudProvider]!.test(endpointID))
      throw badRequest(`"${endpointID}" is not a ${datacenter.cloudProvider} private endpoint id.`);
    const endpoint: PrivateEndpoint = {
      endpointID,
      description,
      linkID: randomUUID(),
      status: 'Accepted',
      createdDateTime: this.clock.now().toISOString().slice(0, 19),
    };
    await this.#change(actor, datacenterId, 'PRIVATE_ENDPOINT_ACCEPTED', { endpointID }, (current) => {
      if (current.endpoints.some((e) => e.endpointID === endpointID))
        throw conflict(`Endpoint ${endpointID} is already accepted.`);
      if (current.endpoints.length >= MAX_ENDPOINTS)
        throw badRequest(`A private link has at most ${MAX_ENDPOINTS} endpoints.`);
      return { ...current, endpoints: [...current.endpoints, endpoint] };
    });
    return endpoint;
  }

  async endpoint(orgId: string, clusterId: string, datacenterId: string, endpointID: string): Promise<PrivateEndpoint> {
    await this.#datacenter(orgId, clusterId, datacenterId);
    return findEndpoint(await this.#link(datacenterId), datacenterId, endpointID);
  }

  async describeEndpoint(
    actor: Actor,
    clusterId: string,
    datacenterId: string,
    endpointID: string,
    description: string,
  ): Promise<PrivateEndpoint> {
    await this.#datacenter(actor.principal.orgId, clusterId, datacenterId);
    const link = await this.#change(actor, datacenterId, 'PRIVATE_ENDPOINT_UPDATED', { endpointID }, (current) => {
      findEndpoint(current, datacenterId, endpointID);
      return {
        ...current,
        endpoints: current.endpoints.map((e) => (e.endpointID === endpointID ? { ...e, description } : e)),
      };
    });
    return findEndpoint(link, datacenterId, endpointID);
  }

  async rejectEndpoint(actor: Actor, clusterId: string, datacenterId: string, endpointID: string): Promise<void> {
    await this.#datacenter(actor.principal.orgId, clusterId, datacenterId);
    await this.#change(actor, datacenterId, 'PRIVATE_ENDPOINT_REJECTED', { endpointID }, (current) => {
      findEndpoint(current, datacenterId, endpointID);
      return { ...current, endpoints: current.endpoints.filter((e) => e.endpointID !== endpointID) };
    });
  }

  async #datacenter(orgId: string, clusterId: string, datacenterId: string): Promise<DatacenterRecord> {
    const database: DatabaseRecord = await this.databases.get(orgId, clusterId);
    const datacenter = database.datacenters.find((dc) => dc.id === datacenterId && isLive(dc));
    if (!datacenter) throw notFound(`The database ${clusterId} has no datacenter ${datacenterId}.`);
    return datacenter;
  }

  async #link(datacenterId: string): Promise<PrivateLink> {
    return (await this.settings.get<PrivateLink>(datacenterId, KIND))?.value ?? EMPTY;
  }

  /** Applies a change to a datacenter's private link without losing a concurrent one, and audits it. */
  #change(
    actor: Actor,
    datacenterId: string,
    action: string,
    details: Record<string, unknown>,
    apply: (link: PrivateLink) => PrivateLink,
  ): Promise<PrivateLink> {
    return this.settings.update<PrivateLink>(actor, datacenterId, KIND, (current) => ({
      value: apply(current ?? EMPTY),
      entry: { action, resource: datacenterId, details },
    }));
  }
}
