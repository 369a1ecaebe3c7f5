import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { isAllowed, orgDrn } from '../iam/policy.js';
import type { Actor, Principal } from '../iam/principal.js';
import type { Database } from '../store/schema.js';
import { DatabaseStore, type DatabaseRecord } from './database-store.js';
import type { LifecycleEngine, StepEffect } from './lifecycle.js';
import type { StepTarget } from './provisioner.js';
import { parseProvider, type RegionCatalogue } from './regions.js';

export const TIERS = ['developer', 'A5', 'A10', 'A20', 'A40', 'C10', 'C20', 'C40', 'D10', 'D20', 'D40', 'serverless', 'cloudnative'];
const KEYSPACE = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;

export function databaseDrn(orgId: string, databaseId: string): string {
  return `${orgDrn(orgId)}:db:${databaseId}`;
}

export function isClassic(tier: string): boolean {
  return tier !== 'serverless';
}

export interface CreateDatabaseInput {
  name: string;
  cloudProvider: string;
  region: string;
  tier?: string;
  capacityUnits?: number;
  keyspace?: string;
  dbType?: string;
}

interface Transition {
  from: readonly string[];
  start: string;
  steps: StepTarget[];
  classicOnly?: boolean;
  audit: string;
}

const LIVE = ['ACTIVE', 'PARKED', 'ERROR', 'PENDING', 'INITIALIZING', 'MAINTENANCE', 'PARKING', 'UNPARKING', 'RESIZING'];

const TRANSITIONS = {
  terminate: { from: LIVE, start: 'TERMINATING', steps: ['TERMINATED'], audit: 'DB_TERMINATED' },
  park: { from: ['ACTIVE'], start: 'PARKING', steps: ['PARKED'], classicOnly: true, audit: 'DB_PARKED' },
  unpark: { from: ['PARKED'], start: 'UNPARKING', steps: ['ACTIVE'], classicOnly: true, audit: 'DB_UNPARKED' },
  resize: { from: ['ACTIVE'], start: 'RESIZING', steps: ['ACTIVE'], classicOnly: true, audit: 'DB_RESIZED' },
  addKeyspace: { from: ['ACTIVE'], start: 'MAINTENANCE', steps: ['ACTIVE'], audit: 'KEYSPACE_CREATED' },
  dropKeyspace: { from: ['ACTIVE'], start: 'MAINTENANCE', steps: ['ACTIVE'], audit: 'KEYSPACE_DROPPED' },
} satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Databases and their lifecycle: the rules that routes, a CLI or a job all go through. */
export class DatabaseService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly regions: RegionCatalogue,
    private readonly lifecycle: LifecycleEngine,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateDatabaseInput): Promise<DatabaseRecord> {
    const name = input.name?.trim() ?? '';
    if (!NAME.test(name)) throw badRequest('name must be 1 to 50 letters, digits, dashes or underscores, starting with a letter or digit.');
    const provider = parseProvider(input.cloudProvider ?? '');
    if (!provider) throw badRequest(`cloudProvider "${input.cloudProvider}" is not one of AWS, GCP, AZURE.`);
    const region = this.regions.find(provider, input.region ?? '');
    if (!region) throw badRequest(`region "${input.region}" is not a ${provider} region Orrery offers; see GET /v2/regions/serverless.`);
    const tier = TIERS.find((t) => t.toLowerCase() === (input.tier ?? 'serverless').toLowerCase());
    if (!tier) throw badRequest(`tier "${input.tier}" is not one of ${TIERS.join(', ')}.`);
    const capacityUnits = input.capacityUnits ?? 1;
    if (!Number.isInteger(capacityUnits) || capacityUnits < 1 || capacityUnits > 100) throw badRequest('capacityUnits must be a whole number from 1 to 100.');
    const keyspace = input.keyspace || 'default_keyspace';
    this.#checkKeyspaceName(keyspace);
    const dbType = input.dbType === undefined ? null : input.dbType.toLowerCase();
    if (dbType !== null && dbType !== 'vector') throw badRequest('dbType must be "vector" when given.');

    const now = this.clock.now().toISOString();
    const record: DatabaseRecord = {
      id: randomUUID(),
      orgId: actor.principal.orgId,
      ownerId: actor.principal.clientId,
      name,
      status: 'PENDING',
      cloudProvider: provider,
      region: region.name,
      tier,
      capacityUnits,
      dbType,
      keyspace,
      keyspaces: [keyspace],
      message: null,
      createdAt: now,
      updatedAt: now,
      terminatedAt: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await new DatabaseStore(trx).insert(record);
      await this.lifecycle.schedule(trx, record, 'PENDING', ['INITIALIZING', 'ACTIVE']);
      await this.audit.record(trx, actor, { action: 'DB_CREATED', resource: record.id, details: { name, cloudProvider: provider, region: region.name, tier } });
    });
    return record;
  }

  /** The databases the caller may view; another organization's never show. */
  async list(principal: Principal, query: { include: string; provider?: string; limit: number; after?: string }): Promise<DatabaseRecord[]> {
    const filter =
      query.include === 'all' ? {} : query.include === 'nonterminated' ? { excludeStatuses: ['TERMINATED'] } : { statuses: [query.include.toUpperCase()] };
    const store = new DatabaseStore(this.db);
    const visible: DatabaseRecord[] = [];
    let after = query.after;
    // Pages are filled with viewable databases only, so a caller scoped to a few still pages correctly.
    while (visible.length < query.limit) {
      const batch = await store.list({ orgId: principal.orgId, ...filter, provider: query.provider, after, limit: query.limit });
      for (const record of batch) {
        if (isAllowed(principal.policies, principal.orgId, 'org-db-view', databaseDrn(principal.orgId, record.id))) visible.push(record);
        if (visible.length === query.limit) break;
      }
      if (batch.length < query.limit) break;
      after = batch.at(-1)!.id;
    }
    return visible;
  }

  async get(orgId: string, id: string): Promise<DatabaseRecord> {
    const record = await new DatabaseStore(this.db).find(orgId, id);
    if (!record) throw notFound(`The specified database ${id} was not found.`);
    return record;
  }

  async terminate(actor: Actor, id: string): Promise<void> {
    await this.#transition(actor, await this.get(actor.principal.orgId, id), 'terminate', {}, true);
  }

  async park(actor: Actor, id: string): Promise<void> {
    await this.#transition(actor, await this.get(actor.principal.orgId, id), 'park');
  }

  async unpark(actor: Actor, id: string): Promise<void> {
    await this.#transition(actor, await this.get(actor.principal.orgId, id), 'unpark');
  }

  async resize(actor: Actor, id: string, capacityUnits: number): Promise<void> {
    const record = await this.get(actor.principal.orgId, id);
    if (!Number.isInteger(capacityUnits) || capacityUnits < 1) throw badRequest('capacityUnits must be a positive whole number.');
    if (isClassic(record.tier) && capacityUnits < record.capacityUnits) throw badRequest('A database cannot shrink: capacityUnits must not be below the current value.');
    if (capacityUnits > record.capacityUnits + 3) throw badRequest('A resize adds at most 3 capacity units at a time.');
    await this.#transition(actor, record, 'resize', { capacityUnits });
  }

  async addKeyspace(actor: Actor, id: string, keyspace: string): Promise<void> {
    this.#checkKeyspaceName(keyspace);
    const record = await this.get(actor.principal.orgId, id);
    if (record.keyspaces.includes(keyspace)) throw conflict(`Keyspace ${keyspace} already exists.`);
    await this.#transition(actor, record, 'addKeyspace', { addKeyspace: keyspace });
  }

  /** Returns false when there was no such keyspace (204 rather than 202). */
  async dropKeyspace(actor: Actor, id: string, keyspace: string): Promise<boolean> {
    this.#checkKeyspaceName(keyspace);
    const record = await this.get(actor.principal.orgId, id);
    if (!record.keyspaces.includes(keyspace)) return false;
    if (keyspace === record.keyspace) throw conflict('The default keyspace cannot be dropped.');
    await this.#transition(actor, record, 'dropKeyspace', { dropKeyspace: keyspace });
    return true;
  }

  /** `record` is the caller's read of the database; the status change itself is guarded in the transaction. */
  async #transition(actor: Actor, record: DatabaseRecord, name: TransitionName, effect: StepEffect = {}, cancelPending = false): Promise<void> {
    const transition: Transition = TRANSITIONS[name];
    const id = record.id;
    if (transition.classicOnly && !isClassic(record.tier)) throw conflict(`Serverless databases cannot ${name}.`);
    await this.db.transaction().execute(async (trx) => {
      const store = new DatabaseStore(trx);
      const at = this.clock.now().toISOString();
      // The first status change happens here, in the request, so that a client polling at once sees it.
      if (!(await store.changeStatus(id, transition.from, { to: transition.start, message: null }, at))) {
        const current = await store.find(actor.principal.orgId, id);
        throw conflict(`The database is ${current?.status ?? 'gone'}; it is not in a valid state to ${name}.`);
      }
      if (cancelPending) await this.lifecycle.cancel(trx, id);
      await this.lifecycle.schedule(trx, { ...record, status: transition.start }, transition.start, transition.steps, effect);
      await this.audit.record(trx, actor, { action: transition.audit, resource: id, details: { ...effect } });
    });
  }

  #checkKeyspaceName(name: string): void {
    if (!KEYSPACE.test(name)) throw badRequest(`"${name}" is not a keyspace name: letters, digits and underscores, starting with a letter, at most 48 characters.`);
  }
}
