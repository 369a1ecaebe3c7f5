import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { AccessListService } from '../access-lists/access-list-service.js';
import type { Clock } from '../clock.js';
import { DatabaseDirectory, databaseDrn, isClassic, passwordMaterial } from '../databases/database-directory.js';
import { isLive, type DatabaseRecord } from '../databases/database-records.js';
import { ApiError, ErrorIds, badRequest, forbidden, notFound } from '../kernel/errors.js';
import type { Authenticator } from '../iam/authenticator.js';
import { DATABASE_USER_ACTIONS } from '../iam/builtin-roles.js';
import { reachesDatabase } from '../kernel/policy.js';
import type { Principal } from '../kernel/principal.js';
import { callerNetwork } from '../security/address-list.js';
import type { FailureLimiter } from '../security/failure-limiter.js';
import type { CredentialHasher } from '../security/tokens.js';
import type { ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { AuthTokenStore, type AuthTokenRecord } from './auth-token-store.js';
import { parseEndpointName } from './data-endpoints.js';

/** Statuses in which a database answers data requests. */
const SERVING = new Set(['ACTIVE', 'MAINTENANCE', 'RESIZING']);
/** The sliding expiry is written at most this often per token, so busy tokens do not write on every use. */
const REFRESH_EVERY_MS = 60_000;
const PURGE_EVERY_MS = 60_000;
/**
 * How long a validated auth token's record is kept in memory. Checking it then costs no store read; the
 * application token or user behind it is still checked on every use (through the read cache, which
 * forgets a revoked token at once in the process that revoked it). The price: an auth token deleted
 * from the store (its database purged) stays usable on a process that cached it for at most this long.
 */
export const VALIDATED_AUTH_TOKEN_TTL_MS = 10_000;
const MAX_VALIDATED_AUTH_TOKENS = 10_000;
const AUTH_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Credentials {
  /** `username` or `key`, as the route names it. */
  name: string;
  secret: string;
}

export interface DbAuthLimits {
  limiter: FailureLimiter;
  /** Failures one party (a username on a database, from one address or IPv6 /64) may have per window. */
  perParty: number;
  /** Failures for a username on a database, from all addresses, past which each party is allowed one per window. */
  ceiling: number;
}

/** The username every `AstraCS:` token logs in with: shared by all, so never counted as one identity. */
const SHARED_USERNAME = 'token';

const badCredentials = (username: string) =>
  new ApiError(
    401,
    ErrorIds.unauthenticated,
    `Failed to create token: Provided username ${username} and/or password are incorrect`,
  );

export interface DbAuthServiceDeps {
  db: Kysely<Database>;
  authenticator: Authenticator;
  hasher: CredentialHasher;
  accessLists: AccessListService;
  limits: DbAuthLimits;
  clock: Clock;
  ttlMs: number;
  log: Pick<FastifyBaseLogger, 'error'>;
  /** Databases are read through it. */
  cache: ReadCache;
}

/**
 * The per-database auth API: turns credentials into auth tokens that live for a sliding window after
 * their last use, and turns an auth token back into the principal it stands for.
 */
export class DbAuthService {
  #timer: NodeJS.Timeout | undefined;
  readonly #validated = new Map<string, { record: AuthTokenRecord; checkedAt: number }>();

  constructor(private readonly deps: DbAuthServiceDeps) {}

  get ttlSeconds(): number {
    return Math.floor(this.deps.ttlMs / 1000);
  }

  /** The database behind a data endpoint name, when it exists, serves requests and admits the address. */
  async reachableDatabase(endpointName: string, address: string): Promise<DatabaseRecord> {
    const endpoint = parseEndpointName(endpointName);
    const database =
      endpoint && (await new DatabaseDirectory(this.deps.db, this.deps.cache).findById(endpoint.databaseId));
    if (!database || !database.datacenters.some((dc) => isLive(dc) && dc.region === endpoint.region)) {
      throw notFound(`No database has the data endpoint ${endpointName}.`);
    }
    const refusal = await this.refusal(database, address);
    if (refusal) throw refusal;
    return database;
  }

  /** Why a request from `address` may not reach the database: it is not serving, or its enabled access list leaves the address out. */
  async refusal(database: DatabaseRecord, address: string): Promise<ApiError | undefined> {
    if (!SERVING.has(database.status)) {
      return new ApiError(
        503,
        ErrorIds.unavailable,
        `The database ${database.id} is ${database.status} and does not serve requests.`,
      );
    }
    if (!(await this.deps.accessLists.admits(database.orgId, database.id, address))) {
      return forbidden(`Requests from ${address} are not in the access list of database ${database.id}.`);
    }
    return undefined;
  }

  /** POST .../v1/auth and .../v1/auth/token/generate: a new auth token for valid credentials. */
  async createToken(
    endpointName: string,
    fields: { nameField: string; secretField: string },
    body: unknown,
    address: string,
  ): Promise<string> {
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('Must provide a body to the request');
    const name = (body as Record<string, unknown>)[fields.nameField];
    const secret = (body as Record<string, unknown>)[fields.secretField];
    if (typeof name !== 'string' || name === '') throw badRequest(`Must provide ${fields.nameField} in request`);
    if (typeof secret !== 'string' || secret === '') throw badRequest(`Must provide ${fields.secretField} in request`);
    const database = await this.reachableDatabase(endpointName, address);

    const made = await this.#limitedLogin(database, { name, secret }, address);

    const token = randomUUID();
    const now = this.deps.clock.now();
    await new AuthTokenStore(this.deps.db).insert({
      tokenHash: this.deps.hasher.hash(token),
      databaseId: database.id,
      orgId: database.orgId,
      clientId: made.kind === 'database-user' ? null : made.clientId,
      dbUsername: made.kind === 'database-user' ? made.clientId : null,
      createdAt: now.toISOString(),
      refreshedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.deps.ttlMs).toISOString(),
    });
    return token;
  }

  /**
   * The principal an auth token stands for on a database, extending the token's life; undefined when
   * the token is unknown, idle past its window, for another database, or its credential is gone.
   */
  async validate(authToken: string, databaseId: string): Promise<Principal | undefined> {
    if (!AUTH_TOKEN.test(authToken)) return undefined;
    const now = this.deps.clock.now();
    const record = await this.#authToken(this.deps.hasher.hash(authToken.toLowerCase()), now.getTime());
    if (!record || record.databaseId !== databaseId || Date.parse(record.expiresAt) <= now.getTime()) return undefined;
    const principal = await this.#principalOf(record);
    if (!principal) return undefined;
    if (now.getTime() - Date.parse(record.refreshedAt) >= REFRESH_EVERY_MS) {
      const refreshedAt = now.toISOString();
      const expiresAt = new Date(now.getTime() + this.deps.ttlMs).toISOString();
      await new AuthTokenStore(this.deps.db).extend(record.tokenHash, refreshedAt, expiresAt);
      this.#validated.set(record.tokenHash, {
        record: { ...record, refreshedAt, expiresAt },
        checkedAt: now.getTime(),
      });
    }
    return principal;
  }

  /** An auth token's record, from memory when it was read in the last VALIDATED_AUTH_TOKEN_TTL_MS. */
  async #authToken(tokenHash: string, now: number): Promise<AuthTokenRecord | undefined> {
    const known = this.#validated.get(tokenHash);
    if (known && now - known.checkedAt < VALIDATED_AUTH_TOKEN_TTL_MS) return known.record;
    const record = await new AuthTokenStore(this.deps.db).find(tokenHash);
    if (!record) {
      this.#validated.delete(tokenHash);
      return undefined;
    }
    if (!known && this.#validated.size >= MAX_VALIDATED_AUTH_TOKENS)
      this.#validated.delete(this.#validated.keys().next().value!);
    this.#validated.set(tokenHash, { record, checkedAt: now });
    return record;
  }

  async purgeExpired(): Promise<number> {
    return new AuthTokenStore(this.deps.db).purgeExpired(this.deps.clock.now().toISOString());
  }

  start(): void {
    this.#timer = setInterval(
      () =>
        void this.purgeExpired().catch((error: unknown) =>
          this.deps.log.error({ err: error }, 'auth token purge failed'),
        ),
      PURGE_EVERY_MS,
    );
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /**
   * Failures are counted per party (database, username, address), so a party that guesses limits
   * only itself. Past a much higher count for the username from all addresses together, guessing is
   * slowed, not stopped: each party may fail once per window, and a correct credential still passes.
   */
  async #limitedLogin(database: DatabaseRecord, credentials: Credentials, address: string): Promise<Principal> {
    const { limiter, perParty, ceiling } = this.deps.limits;
    const identity = ['db-login', database.id, credentials.name];
    const party = [...identity, callerNetwork(address)];
    const counted = credentials.name !== SHARED_USERNAME;
    const slowed = counted && (await limiter.failures(identity)) >= ceiling;
    if ((await limiter.failures(party)) >= (slowed ? 1 : perParty)) throw limiter.refusal();
    const made = await this.#login(database, credentials);
    if (made) return made;
    await limiter.recordFailure(party);
    if (counted) await limiter.recordFailure(identity);
    throw badCredentials(credentials.name);
  }

  async #login(database: DatabaseRecord, credentials: Credentials): Promise<Principal | undefined> {
    const user = isClassic(database.tier) ? await new DatabaseDirectory(this.deps.db).user(database.id) : undefined;
    if (user && user.username === credentials.name) {
      return this.deps.hasher.matches(passwordMaterial(credentials.name, credentials.secret), user.passwordHash)
        ? databaseUser(database, user.username)
        : undefined;
    }
    const principal = await this.deps.authenticator.fromUsernamePassword(credentials.name, credentials.secret);
    // A credential that grants nothing in this database gets no token for it.
    if (
      !principal ||
      principal.orgId !== database.orgId ||
      !reachesDatabase(principal.policies, database.orgId, databaseDrn(database.orgId, database.id))
    )
      return undefined;
    return principal;
  }

  async #principalOf(record: AuthTokenRecord): Promise<Principal | undefined> {
    if (record.clientId) {
      const principal = await this.deps.authenticator.stillValid(record.clientId);
      return principal && principal.orgId === record.orgId ? principal : undefined;
    }
    // A password reset ends the tokens made with the password it replaced.
    const user = await new DatabaseDirectory(this.deps.db).user(record.databaseId);
    const current =
      user && user.username === record.dbUsername && Date.parse(user.updatedAt) <= Date.parse(record.createdAt);
    return current ? databaseUser({ id: record.databaseId, orgId: record.orgId }, user.username) : undefined;
  }
}

/** A classic database's own user: everything inside its database, nothing outside it. */
function databaseUser(database: Pick<DatabaseRecord, 'id' | 'orgId'>, username: string): Principal {
  const drn = databaseDrn(database.orgId, database.id);
  return {
    kind: 'database-user',
    clientId: username,
    orgId: database.orgId,
    roleIds: [],
    policies: [
      {
        description: `user ${username} of database ${database.id}`,
        effect: 'allow',
        resources: [drn, `${drn}:keyspace:*`, `${drn}:keyspace:*:table:*`],
        actions: DATABASE_USER_ACTIONS,
      },
    ],
  };
}
