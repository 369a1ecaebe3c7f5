import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../kernel/errors.js';
import { isAllowed } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
import type { CredentialHasher } from '../security/tokens.js';
import type { ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { DatabaseStore } from './database-store.js';
import { isLive, type DatabaseRecord, type DatacenterRecord } from './database-records.js';
import { DatabaseDirectory, databaseDrn, isClassic, passwordMaterial, requireDatabase } from './database-directory.js';
import { DatabaseUserStore } from './database-user-store.js';
import { DatacenterStore } from './datacenter-store.js';
import type { LifecycleEngine, StepEffect } from './lifecycle.js';
import type { StepTarget } from './provisioner.js';
import { parseProvider, type RegionCatalogue } from './regions.js';

export const TIERS = [
  'developer',
  'A5',
  'A10',
  'A20',
  'A40',
  'C10',
  'C20',
  'C40',
  'D10',
  'D20',
  'D40',
  'serverless',
  'cloudnative',
];
const KEYSPACE = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
// Astra's rules: a database name starts and ends with a letter or digit, at most 50 characters from this set.
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9&+\-_()<>.,@]{0,48}[A-Za-z0-9])?$/;
// Keyspaces Cassandra and DSE keep for themselves; names are compared without case, as CQL does unquoted.
const RESERVED_KEYSPACES =
  /^(system|system_auth|system_schema|system_distributed|system_traces|system_views|system_virtual_schema|dse|dse_.*|solr_admin|data_endpoint_auth)$/i;
const DB_USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const MAX_DATACENTERS = 16;

export interface CreateDatabaseInput {
  name: string;
  cloudProvider: string;
  region: string;
  tier?: string;
  capacityUnits?: number;
  keyspace?: string;
  dbType?: string;
  /** The CQL user of a classic database. */
  user?: string;
  password?: string;
}

export interface DatacenterInput {
  tier?: string;
  cloudProvider?: string;
  region?: string;
}

interface TransitionOptions {
  effect?: StepEffect;
  /** Drops the database's queued steps first: terminate overrides whatever was under way. */
  cancelPending?: boolean;
  /** Further writes that belong to the same change, in its transaction. */
  alsoWrite?: (trx: Kysely<Database>, at: string) => Promise<void>;
}

interface Transition {
  from: readonly string[];
  start: string;
  steps: StepTarget[];
  classicOnly?: boolean;
  audit: string;
}

const LIVE = [
  'ACTIVE',
  'PARKED',
  'ERROR',
  'PENDING',
  'INITIALIZING',
  'MAINTENANCE',
  'PARKING',
  'UNPARKING',
  'RESIZING',
];

const TRANSITIONS = {
  terminate: { from: LIVE, start: 'TERMINATING', steps: ['TERMINATED'], audit: 'DB_TERMINATED' },
  park: { from: ['ACTIVE'], start: 'PARKING', steps: ['PARKED'], classicOnly: true, audit: 'DB_PARKED' },
  unpark: { from: ['PARKED'], start: 'UNPARKING', steps: ['ACTIVE'], classicOnly: true, audit: 'DB_UNPARKED' },
  resize: { from: ['ACTIVE'], start: 'RESIZING', steps: ['ACTIVE'], classicOnly: true, audit: 'DB_RESIZED' },
  addKeyspace: { from: ['ACTIVE'], start: 'MAINTENANCE', steps: ['ACTIVE'], audit: 'KEYSPACE_CREATED' },
  dropKeyspace: { from: ['ACTIVE'], start: 'MAINTENANCE', steps: ['ACTIVE'], audit: 'KEYSPACE_DROPPED' },
  addDatacenters: { from: ['ACTIVE'], start: 'MAINTENANCE', steps: ['ACTIVE'], audit: 'DATACENTERS_ADDED' },
  terminateDatacenter: { from: ['ACTIVE'], start: 'MAINTENANCE', steps: ['ACTIVE'], audit: 'DATACENTER_TERMINATED' },
} satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Databases and their lifecycle: the rules that routes, a CLI or a job all go through. */
/**
 * Each new database gets its own certificate authority, owned by the bundles area. It is made before the
 * creating transaction (key generation must not hold the store's write lock) and recorded inside it.
 */
export interface DatabaseAuthorities {
  prepareAuthority(databaseId: string): Promise<(trx: Kysely<Database>) => Promise<void>>;
}

export interface DatabaseServiceDeps {
  db: Kysely<Database>;
  regions: RegionCatalogue;
  lifecycle: LifecycleEngine;
  audit: AuditLog;
  clock: Clock;
  hasher: CredentialHasher;
  authorities: DatabaseAuthorities;
  cache: ReadCache;
}

export class DatabaseService {
  constructor(private readonly deps: DatabaseServiceDeps) {}

  async create(actor: Actor, input: CreateDatabaseInput): Promise<DatabaseRecord> {
    const name = input.name ?? '';
    if (!NAME.test(name))
      throw badRequest(
        'name must be 1 to 50 characters, letters, digits and & + - _ ( ) < > . , @, starting and ending with a letter or digit.',
      );
    const { provider, region, tier } = this.#placement(input, 'serverless');
    const capacityUnits = input.capacityUnits ?? 1;
    if (!Number.isInteger(capacityUnits) || capacityUnits < 1 || capacityUnits > 100)
      throw badRequest('capacityUnits must be a whole number from 1 to 100.');
    const keyspace = input.keyspace || 'default_keyspace';
    this.#checkKeyspaceName(keyspace);
    const dbType = input.dbType === undefined ? null : input.dbType.toLowerCase();
    if (dbType !== null && dbType !== 'vector') throw badRequest('dbType must be "vector" when given.');
    const user =
      isClassic(tier) && input.user !== undefined ? this.#databaseUser(input.user, input.password) : undefined;

    const now = this.deps.clock.now().toISOString();
    const id = randomUUID();
    const record: DatabaseRecord = {
      id,
      orgId: actor.principal.orgId,
      ownerId: actor.principal.clientId,
      name,
      status: 'PENDING',
      cloudProvider: provider,
      region,
      tier,
      capacityUnits,
      dbType,
      keyspace,
      keyspaces: [keyspace],
      message: null,
      createdAt: now,
      updatedAt: now,
      terminatedAt: null,
      datacenters: [
        {
          id: `${id}-1`,
          databaseId: id,
          ordinal: 1,
          tier,
          cloudProvider: provider,
          region,
          capacityUnits,
          status: 'PENDING',
          createdAt: now,
          terminatedAt: null,
        },
      ],
    };
    // Made before the transaction, so that key generation does not hold the store's write lock.
    const recordAuthority = await this.deps.authorities.prepareAuthority(id);
    await this.deps.db.transaction().execute(async (trx) => {
      await new DatabaseStore(trx).insert(record);
      await recordAuthority(trx);
      if (user) await new DatabaseUserStore(trx).set(id, user, now);
      // The first datacenter comes up with the database.
      await this.deps.lifecycle.schedule(trx, record, 'PENDING', ['INITIALIZING', 'ACTIVE'], {
        addDatacenters: [`${id}-1`],
      });
      await this.deps.audit.record(trx, actor, {
        action: 'DB_CREATED',
        resource: record.id,
        details: { name, cloudProvider: provider, region, tier },
      });
    });
    return record;
  }

  /** The databases the caller may view; another organization's never show. */
  async list(
    principal: Principal,
    query: { include: string; provider?: string; limit: number; after?: string },
  ): Promise<DatabaseRecord[]> {
    const filter =
      query.include === 'all'
        ? {}
        : query.include === 'nonterminated'
          ? { excludeStatuses: ['TERMINATED'] }
          : { statuses: [query.include.toUpperCase()] };
    const store = new DatabaseStore(this.deps.db);
    const visible: DatabaseRecord[] = [];
    let after = query.after;
    // Pages are filled with viewable databases only, so a caller scoped to a few still pages correctly.
    while (visible.length < query.limit) {
      const batch = await store.list({
        orgId: principal.orgId,
        ...filter,
        provider: query.provider,
        after,
        limit: query.limit,
      });
      for (const record of batch) {
        if (isAllowed(principal.policies, principal.orgId, 'org-db-view', databaseDrn(principal.orgId, record.id)))
          visible.push(record);
        if (visible.length === query.limit) break;
      }
      if (batch.length < query.limit) break;
      after = batch.at(-1)!.id;
    }
    return visible;
  }

  /** A database for reading, from the read cache when it holds it; 404 for another organization's. */
  async get(orgId: string, id: string): Promise<DatabaseRecord> {
    const record = await new DatabaseDirectory(this.deps.db, this.deps.cache).find(orgId, id);
    if (!record) throw notFound(`The specified database ${id} was not found.`);
    return record;
  }

  /** A database read from the store itself, for changes, which must start from its current state. */
  #current(orgId: string, id: string): Promise<DatabaseRecord> {
    return requireDatabase(this.deps.db, orgId, id);
  }

  async terminate(actor: Actor, id: string): Promise<void> {
    const record = await this.#current(actor.principal.orgId, id);
    if (record.datacenters.filter(isLive).length > 1)
      throw conflict('The database has more than one datacenter: terminate the others first.');
    await this.#transition(actor, record, 'terminate', { cancelPending: true });
  }

  async park(actor: Actor, id: string): Promise<void> {
    await this.#transition(actor, await this.#current(actor.principal.orgId, id), 'park');
  }

  async unpark(actor: Actor, id: string): Promise<void> {
    await this.#transition(actor, await this.#current(actor.principal.orgId, id), 'unpark');
  }

  async resize(actor: Actor, id: string, capacityUnits: number): Promise<void> {
    const record = await this.#current(actor.principal.orgId, id);
    if (!Number.isInteger(capacityUnits) || capacityUnits < 1)
      throw badRequest('capacityUnits must be a positive whole number.');
    if (isClassic(record.tier) && capacityUnits < record.capacityUnits)
      throw badRequest('A database cannot shrink: capacityUnits must not be below the current value.');
    if (capacityUnits > record.capacityUnits + 3) throw badRequest('A resize adds at most 3 capacity units at a time.');
    await this.#transition(actor, record, 'resize', { effect: { capacityUnits } });
  }

  async addKeyspace(actor: Actor, id: string, keyspace: string): Promise<void> {
    this.#checkKeyspaceName(keyspace);
    const record = await this.#current(actor.principal.orgId, id);
    if (record.keyspaces.includes(keyspace)) throw conflict(`Keyspace ${keyspace} already exists.`);
    await this.#transition(actor, record, 'addKeyspace', { effect: { addKeyspace: keyspace } });
  }

  /** Returns false when there was no such keyspace (204 rather than 202). */
  async dropKeyspace(actor: Actor, id: string, keyspace: string): Promise<boolean> {
    this.#checkKeyspaceName(keyspace);
    const record = await this.#current(actor.principal.orgId, id);
    if (!record.keyspaces.includes(keyspace)) return false;
    if (keyspace === record.keyspace) throw conflict('The default keyspace cannot be dropped.');
    await this.#transition(actor, record, 'dropKeyspace', { effect: { dropKeyspace: keyspace } });
    return true;
  }

  /** Adds datacenters in further regions; they are ACTIVE when the database is again. */
  async addDatacenters(actor: Actor, id: string, inputs: DatacenterInput[]): Promise<DatacenterRecord[]> {
    if (inputs.length === 0) throw badRequest('Give at least one datacenter to add.');
    const record = await this.#current(actor.principal.orgId, id);
    const live = record.datacenters.filter(isLive);
    if (live.length + inputs.length > MAX_DATACENTERS)
      throw badRequest(`A database has at most ${MAX_DATACENTERS} datacenters.`);
    const taken = new Set(live.map((dc) => `${dc.cloudProvider}/${dc.region}`));
    let ordinal = Math.max(...record.datacenters.map((dc) => dc.ordinal));
    const createdAt = this.deps.clock.now().toISOString();
    const added = inputs.map((input): DatacenterRecord => {
      const { provider, region, tier } = this.#placement(input, record.tier);
      if (taken.has(`${provider}/${region}`))
        throw conflict(`The database already has a datacenter in ${provider} ${region}.`);
      taken.add(`${provider}/${region}`);
      ordinal += 1;
      return {
        id: `${id}-${ordinal}`,
        databaseId: id,
        ordinal,
        tier,
        cloudProvider: provider,
        region,
        capacityUnits: record.capacityUnits,
        status: 'PENDING',
        createdAt,
        terminatedAt: null,
      };
    });
    await this.#transition(actor, record, 'addDatacenters', {
      effect: { addDatacenters: added.map((dc) => dc.id) },
      alsoWrite: async (trx) => {
        for (const datacenter of added) await new DatacenterStore(trx).insert(datacenter);
      },
    });
    return added;
  }

  async terminateDatacenter(actor: Actor, id: string, datacenterId: string): Promise<void> {
    const record = await this.#current(actor.principal.orgId, id);
    const datacenter = record.datacenters.find((dc) => dc.id === datacenterId);
    if (!datacenter) throw notFound(`The database ${id} has no datacenter ${datacenterId}.`);
    if (datacenter.status !== 'ACTIVE')
      throw conflict(`The datacenter is ${datacenter.status}; only an ACTIVE one can be terminated.`);
    if (record.datacenters.filter(isLive).length === 1)
      throw conflict('This is the last datacenter of the database: terminate the database instead.');
    await this.#transition(actor, record, 'terminateDatacenter', {
      effect: { terminateDatacenter: datacenterId },
      alsoWrite: (trx, at) => new DatacenterStore(trx).setStatus([datacenterId], 'TERMINATING', at),
    });
  }

  /** Sets the CQL user of a classic database; the password is kept only as a keyed hash. */
  async resetPassword(actor: Actor, id: string, username: string, password: string): Promise<void> {
    const user = this.#databaseUser(username, password);
    const record = await this.#current(actor.principal.orgId, id);
    if (!isClassic(record.tier))
      throw conflict('Serverless databases have no database password; use an application token.');
    if (record.status !== 'ACTIVE')
      throw conflict(`The database is ${record.status}; it is not in a valid state to resetPassword.`);
    await this.deps.db.transaction().execute(async (trx) => {
      await new DatabaseUserStore(trx).set(id, user, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, {
        action: 'DB_PASSWORD_RESET',
        resource: id,
        details: { username: user.username },
      });
    });
  }

  /** `record` is the caller's read of the database; the status change itself is guarded in the transaction. */
  async #transition(
    actor: Actor,
    record: DatabaseRecord,
    name: TransitionName,
    options: TransitionOptions = {},
  ): Promise<void> {
    const { effect = {}, cancelPending = false, alsoWrite } = options;
    const transition: Transition = TRANSITIONS[name];
    const id = record.id;
    if (transition.classicOnly && !isClassic(record.tier)) throw conflict(`Serverless databases cannot ${name}.`);
    await this.deps.db.transaction().execute(async (trx) => {
      const store = new DatabaseStore(trx);
      const at = this.deps.clock.now().toISOString();
      // The first status change happens here, in the request, so that a client polling at once sees it.
      if (!(await store.changeStatus(id, transition.from, { to: transition.start, message: null }, at))) {
        const current = await store.find(actor.principal.orgId, id);
        throw conflict(`The database is ${current?.status ?? 'gone'}; it is not in a valid state to ${name}.`);
      }
      if (cancelPending) await this.deps.lifecycle.cancel(trx, id);
      await alsoWrite?.(trx, at);
      await this.deps.lifecycle.schedule(
        trx,
        { ...record, status: transition.start },
        transition.start,
        transition.steps,
        effect,
      );
      await this.deps.audit.record(trx, actor, { action: transition.audit, resource: id, details: { ...effect } });
    });
  }

  /** Where a database or datacenter goes: a known provider, one of its regions, and a tier. */
  #placement(input: DatacenterInput, defaultTier: string): { provider: string; region: string; tier: string } {
    const provider = parseProvider(input.cloudProvider ?? '');
    if (!provider) throw badRequest(`cloudProvider "${input.cloudProvider}" is not one of AWS, GCP, AZURE.`);
    const region = this.deps.regions.find(provider, input.region ?? '');
    if (!region)
      throw badRequest(
        `region "${input.region}" is not a ${provider} region Orrery offers; see GET /v2/regions/serverless.`,
      );
    if (!region.enabled)
      throw badRequest(
        `region "${region.name}" is not enabled for this organization; see GET /v2/regions/serverless?filter-by-org=enabled.`,
      );
    const tier = TIERS.find((t) => t.toLowerCase() === (input.tier ?? defaultTier).toLowerCase());
    if (!tier) throw badRequest(`tier "${input.tier}" is not one of ${TIERS.join(', ')}.`);
    return { provider, region: region.name, tier };
  }

  #databaseUser(username: string | undefined, password: string | undefined) {
    if (!DB_USERNAME.test(username ?? ''))
      throw badRequest('username must be 1 to 64 letters, digits or . _ @ -, starting with a letter or digit.');
    if (typeof password !== 'string' || password.length < 6 || password.length > 256)
      throw badRequest('password must be 6 to 256 characters.');
    return { username: username!, passwordHash: this.deps.hasher.hash(passwordMaterial(username!, password)) };
  }

  #checkKeyspaceName(name: string): void {
    if (!KEYSPACE.test(name))
      throw badRequest(
        `"${name}" is not a keyspace name: letters, digits and underscores, starting with a letter, at most 48 characters.`,
      );
    if (RESERVED_KEYSPACES.test(name)) throw badRequest(`"${name}" is a keyspace name reserved by the database.`);
  }
}
