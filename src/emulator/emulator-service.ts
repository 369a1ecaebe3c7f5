import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DatabaseService } from '../databases/database-service.js';
import { DatabaseDirectory } from '../databases/database-directory.js';
import type { LifecycleEngine } from '../databases/lifecycle.js';
import type { Authenticator } from '../iam/authenticator.js';
import { bootstrap } from '../enterprises/bootstrap.js';
import { createOrganization } from '../iam/organization-setup.js';
import { BUILTIN_ROLES } from '../iam/builtin-roles.js';
import type { Actor } from '../kernel/principal.js';
import type { RoleService } from '../iam/role-service.js';
import type { TokenIssuer } from '../iam/token-issuer.js';
import type { UserService } from '../iam/user-service.js';
import { badRequest, conflict, notFound } from '../kernel/errors.js';
import { parseToken } from '../security/tokens.js';
import type { ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { readSeedFile, type Seed } from './seed.js';
import { StateStore, type Snapshot } from './state-store.js';

/** Statuses a control may force; the ones clients know. */
export const FORCIBLE_STATUSES = [
  'ACTIVE',
  'ERROR',
  'HIBERNATED',
  'HIBERNATING',
  'MAINTENANCE',
  'PARKED',
  'PENDING',
  'INITIALIZING',
  'RESIZING',
  'TERMINATING',
  'TERMINATED',
  'UNKNOWN',
];

/**
 * The databases' own data stores (the Data API's), which live outside the control store: a file per
 * database on SQLite, a schema per database on PostgreSQL. Content is opaque JSON to the emulator.
 */
export interface DataStoreCopies {
  /** The database's data, or undefined when it has no data store yet. */
  dump(databaseId: string): Promise<Record<string, unknown[]> | undefined>;
  /** Replaces the database's data store with one holding exactly a dumped content. */
  load(databaseId: string, content: Record<string, unknown[]>): Promise<void>;
  remove(databaseId: string): Promise<void>;
}

export interface EmulatorDeps {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  clock: Clock;
  cache: ReadCache;
  issuer: TokenIssuer;
  authenticator: Authenticator;
  roles: RoleService;
  users: UserService;
  databases: DatabaseService;
  lifecycle: LifecycleEngine;
  dataStores: DataStoreCopies;
  bootstrapToken?: string;
  seedFile?: string;
}

/** What test suites drive: a known starting state, named snapshots, and databases moved by hand. */
export class EmulatorService {
  readonly #state: StateStore;

  constructor(private readonly deps: EmulatorDeps) {
    this.#state = new StateStore(deps.db, deps.dialect);
  }

  /** Empties the store and every database's data, then makes the first organization again and applies the seed file, as a first start does. */
  async reset(): Promise<{ orgId: string; adminToken?: string }> {
    for (const id of await this.#state.databaseIds()) await this.deps.dataStores.remove(id);
    await this.#state.replace();
    this.deps.cache.clear();
    const made = await bootstrap(this.deps.db, this.deps.issuer, this.deps.clock, this.deps.bootstrapToken);
    await this.seedFromFile();
    return { orgId: made.orgId, ...(made.generatedToken ? { adminToken: made.generatedToken } : {}) };
  }

  async seedFromFile(): Promise<void> {
    if (this.deps.seedFile) await this.seed(readSeedFile(this.deps.seedFile));
  }

  /** Saves the control state and each database's data store under the name. */
  async saveSnapshot(name: string): Promise<void> {
    const control = await this.#state.read();
    const dataStores: Snapshot['dataStores'] = {};
    for (const id of await this.#state.databaseIds()) {
      const content = await this.deps.dataStores.dump(id);
      if (content) dataStores[id] = content;
    }
    await this.#state.saveSnapshot(name, { control, dataStores }, this.deps.clock.now().toISOString());
  }

  /** Puts back the control state and, for every database before or after, exactly the data it had in the snapshot. */
  async restoreSnapshot(name: string): Promise<void> {
    const snapshot = await this.#state.snapshot(name);
    if (!snapshot) throw notFound(`No snapshot named "${name}".`);
    const before = await this.#state.databaseIds();
    await this.#state.replace(snapshot.control);
    this.deps.cache.clear();
    for (const id of new Set([...before, ...(await this.#state.databaseIds())])) {
      const content = snapshot.dataStores[id];
      if (content) await this.deps.dataStores.load(id, content);
      else await this.deps.dataStores.remove(id);
    }
  }

  listSnapshots() {
    return this.#state.listSnapshots();
  }

  async deleteSnapshot(name: string): Promise<void> {
    if (!(await this.#state.deleteSnapshot(name))) throw notFound(`No snapshot named "${name}".`);
  }

  /** Runs a database's pending lifecycle step now; 409 when none is pending. */
  async advance(orgId: string, databaseId: string): Promise<string> {
    await this.#database(orgId, databaseId);
    if (!(await this.deps.lifecycle.advance(databaseId)))
      throw conflict(`Database ${databaseId} has no pending status change.`);
    return (await this.#database(orgId, databaseId)).status;
  }

  async force(orgId: string, databaseId: string, status: string): Promise<void> {
    if (!FORCIBLE_STATUSES.includes(status)) throw badRequest(`status must be one of ${FORCIBLE_STATUSES.join(', ')}.`);
    await this.#database(orgId, databaseId);
    await this.deps.lifecycle.force(databaseId, status);
  }

  /** Loads organizations and what they hold through the same services the API uses. */
  async seed(seed: Seed): Promise<void> {
    for (const org of seed.organizations) {
      if (!parseToken(org.adminToken)) throw badRequest(`the admin token of ${org.name} is not an AstraCS token`);
      const { orgId } = await this.deps.db
        .transaction()
        .execute((trx) => createOrganization(trx, this.deps.issuer, this.deps.clock, org.name, org.adminToken));
      const principal = await this.deps.authenticator.fromToken(org.adminToken);
      if (!principal) throw new Error(`the admin token of ${org.name} does not authenticate`);
      const actor: Actor = { principal, address: 'seed' };
      const roleIds = new Map(BUILTIN_ROLES.map((r) => [r.name.toLowerCase(), r.id]));
      for (const role of org.roles ?? []) {
        const resources = role.resources ?? [
          `drn:astra:org:${orgId}`,
          `drn:astra:org:${orgId}:db:*`,
          `drn:astra:org:${orgId}:db:*:keyspace:*`,
          `drn:astra:org:${orgId}:db:*:keyspace:*:table:*`,
        ];
        const created = await this.deps.roles.create(actor, {
          name: role.name,
          policy: { description: role.description ?? role.name, effect: 'allow', actions: role.actions, resources },
        });
        roleIds.set(role.name.toLowerCase(), created.id);
      }
      const idsOf = (names: string[]) =>
        names.map((n) => {
          const id = roleIds.get(n.toLowerCase()) ?? [...roleIds.values()].find((v) => v === n);
          if (!id) throw badRequest(`${org.name}: no role "${n}"`);
          return id;
        });
      for (const token of org.tokens ?? []) {
        const preset = parseToken(token.token);
        if (!preset) throw badRequest(`${org.name}: "${token.description ?? 'a token'}" is not an AstraCS token`);
        await this.deps.issuer.issue(this.deps.db, {
          orgId,
          roleIds: idsOf(token.roles),
          description: token.description ?? null,
          presetToken: preset,
        });
      }
      for (const user of org.users ?? [])
        await this.deps.users.invite(actor, { email: user.email, orgId, roleIds: idsOf(user.roles) });
      for (const database of org.databases ?? []) await this.#seedDatabase(actor, database);
    }
  }

  async #seedDatabase(
    actor: Actor,
    spec: NonNullable<Seed['organizations'][number]['databases']>[number],
  ): Promise<void> {
    const [keyspace, ...more] = spec.keyspaces ?? ['default_keyspace'];
    const created = await this.deps.databases.create(actor, {
      name: spec.name,
      cloudProvider: spec.cloudProvider ?? 'GCP',
      region: spec.region ?? 'us-east1',
      tier: spec.tier,
      keyspace,
    });
    // Each step is run at once, whatever the provisioning speed, so the seeded world is ready at start-up.
    await this.#settle(created.id);
    for (const name of more) {
      await this.deps.databases.addKeyspace(actor, created.id, name);
      await this.#settle(created.id);
    }
  }

  async #settle(databaseId: string): Promise<void> {
    while (await this.deps.lifecycle.advance(databaseId));
  }

  async #database(orgId: string, databaseId: string) {
    const database = await new DatabaseDirectory(this.deps.db).findById(databaseId);
    // Another organization's database is reported as absent.
    if (!database || database.orgId !== orgId) throw notFound(`No database ${databaseId}.`);
    return database;
  }
}
