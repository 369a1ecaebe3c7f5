import type { Kysely } from 'kysely';
import { strToU8, zipSync } from 'fflate';
import type { Clock } from '../clock.js';
import { DatabaseDirectory, databaseDrn, requireDatabase } from '../databases/database-directory.js';
import { isLive, type DatabaseRecord, type DatacenterRecord } from '../databases/database-records.js';
import { ApiError, ErrorIds, conflict, notFound } from '../kernel/errors.js';
import { isAllowed } from '../kernel/policy.js';
import type { Principal } from '../kernel/principal.js';
import type { Sealer } from '../security/sealer.js';
import type { Database } from '../store/schema.js';
import { AuthorityStore, type AuthorityRow } from './authority-store.js';
import { bundleKindOf, parseLinkQuery, type BundleKind, type BundleLinks } from './bundle-links.js';
import type { BundleUrls } from '../databases/database-view.js';
import { createAuthority, issueClientCertificate } from './certificates.js';

/** What a caller needs on a database to obtain its credentials: the bundle holds a client key. */
export const OBTAIN_CREDENTIALS = 'db-cql';

/** Ports of the data plane a bundle's drivers connect to, as on Astra. */
const CQL_PORT = 29042;
const METADATA_PORT = 29080;

export interface CredsUrl {
  downloadURL: string;
  downloadURLInternal: string;
  downloadURLMigrationProxy: string;
  downloadURLMigrationProxyInternal: string;
  datacenterID: string;
  /** Misspelt on purpose: clients read it when datacenterID is missing. */
  datcenterID: string;
  customDomainBundles?: {
    downloadURL: string;
    apiFQDN: string;
    cqlFQDN: string;
    dashboardFQDN: string;
    domain: string;
  }[];
}

export interface BundleServiceDeps {
  db: Kysely<Database>;
  sealer: Sealer;
  links: BundleLinks;
  clock: Clock;
  appsDomain: string;
  customDomains: (orgId: string) => Promise<string[]>;
}

/** Secure connect bundles: each database's certificate authority, signed download links and the zip files. */
export class BundleService {
  constructor(private readonly deps: BundleServiceDeps) {}

  /** Makes a database's authority now; the returned step records it in the database's creating transaction. */
  async prepareAuthority(databaseId: string): Promise<(trx: Kysely<Database>) => Promise<void>> {
    const authority = await this.newAuthority(databaseId);
    return (trx) => new AuthorityStore(trx).insert(authority);
  }

  /** A new authority for a database, its private key sealed. */
  async newAuthority(databaseId: string): Promise<AuthorityRow> {
    const now = this.deps.clock.now();
    const pair = await createAuthority(`Orrery database ${databaseId} CA`, now);
    return {
      databaseId,
      certificate: pair.certificate,
      sealedKey: this.deps.sealer.seal(pair.privateKey),
      createdAt: now.toISOString(),
    };
  }

  /** A datacenter's signed links, for a caller allowed to obtain the database's credentials; none for anyone else. */
  urlsFor(
    principal: Principal,
    base: string,
    database: { id: string; name: string },
    datacenterId: string,
  ): BundleUrls | undefined {
    if (!isAllowed(principal.policies, principal.orgId, OBTAIN_CREDENTIALS, databaseDrn(principal.orgId, database.id)))
      return undefined;
    return this.deps.links.urls(base, datacenterId, database.name);
  }

  /** The download links of an ACTIVE database's datacenters: the first one, or all of them. */
  async credsUrls(orgId: string, databaseId: string, base: string): Promise<CredsUrl[]> {
    const database = await requireDatabase(this.deps.db, orgId, databaseId);
    if (database.status !== 'ACTIVE')
      throw conflict(`The database is ${database.status}; bundles are available when it is ACTIVE.`);
    const domains = await this.deps.customDomains(orgId);
    return database.datacenters
      .filter((dc) => dc.status === 'ACTIVE')
      .map((dc) => {
        const urls = this.deps.links.urls(base, dc.id, database.name);
        const name = `${dc.databaseId}-${dc.region}`;
        const customDomainBundles = domains.map((domain) => ({
          downloadURL: this.deps.links.urls(base, dc.id, database.name, domain).external,
          apiFQDN: `${name}.apps.${domain}`,
          cqlFQDN: `${name}.db.${domain}`,
          dashboardFQDN: `${name}.dashboard.${domain}`,
          domain,
        }));
        return {
          ...(customDomainBundles.length ? { customDomainBundles } : {}),
          downloadURL: urls.external,
          downloadURLInternal: urls.internal,
          downloadURLMigrationProxy: urls.proxy,
          downloadURLMigrationProxyInternal: urls.proxyInternal,
          datacenterID: dc.id,
          datcenterID: dc.id,
        };
      });
  }

  /** The zip behind a signed link; a tampered, expired or not canonically written link is refused. */
  async download(datacenterId: string, file: string, rawQuery: string): Promise<Uint8Array> {
    const query = parseLinkQuery(rawQuery);
    const verdict = query
      ? this.deps.links.check(datacenterId, file, query.expires, query.signature, query.domain)
      : 'invalid';
    const domain = query?.domain ?? '';
    if (verdict !== 'valid') {
      throw new ApiError(
        403,
        ErrorIds.forbidden,
        verdict === 'expired'
          ? 'This download link has expired; ask for a new one.'
          : 'This download link is not valid.',
      );
    }
    const kind = bundleKindOf(file);
    const databaseId = datacenterId.replace(/-\d+$/, '');
    const database = await new DatabaseDirectory(this.deps.db).findById(databaseId);
    const datacenter = database?.datacenters.find((dc) => dc.id === datacenterId);
    if (!kind || !database || !datacenter || !isLive(datacenter) || database.status === 'TERMINATED')
      throw notFound('No such bundle.');
    return this.#bundle(database, datacenter, kind, domain || this.deps.appsDomain.replace(/^apps\./, ''));
  }

  /** `domain` is the one the database's host names are under: Orrery's, or a custom domain. */
  async #bundle(
    database: DatabaseRecord,
    datacenter: DatacenterRecord,
    kind: BundleKind,
    domain: string,
  ): Promise<Uint8Array> {
    const authority = await this.#authority(database.id);
    const caKey = this.deps.sealer.open(authority.sealedKey);
    const client = await issueClientCertificate(
      { certificate: authority.certificate, privateKey: caKey },
      database.id,
      this.deps.clock.now(),
    );
    const internal = kind === 'internal' || kind === 'proxyInternal';
    const host = `${datacenter.databaseId}-${datacenter.region}.db${internal ? '.internal' : ''}.${domain}`;
    const config = {
      host,
      port: METADATA_PORT,
      cql_port: CQL_PORT,
      keyspace: database.keyspace,
      localDC: `dc-${datacenter.ordinal}`,
      caCertLocation: './ca.crt',
      keyLocation: './key',
      certLocation: './cert',
    };
    const cqlshrc = [
      '[connection]',
      `hostname = ${host}`,
      `port = ${CQL_PORT}`,
      'ssl = true',
      '',
      '[ssl]',
      'validate = true',
      'certfile = ./ca.crt',
      'userkey = ./key',
      'usercert = ./cert',
      '',
    ].join('\n');
    return zipSync({
      'ca.crt': strToU8(authority.certificate),
      cert: strToU8(client.certificate),
      key: strToU8(client.privateKey),
      'config.json': strToU8(JSON.stringify(config, null, 2)),
      cqlshrc: strToU8(cqlshrc),
    });
  }

  /** Databases made before authorities existed get theirs on first use. */
  async #authority(databaseId: string): Promise<AuthorityRow> {
    const store = new AuthorityStore(this.deps.db);
    const found = await store.find(databaseId);
    if (found) return found;
    await store.insert(await this.newAuthority(databaseId));
    return (await store.find(databaseId))!;
  }
}
