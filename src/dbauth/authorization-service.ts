import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import { DatabaseDirectory, databaseDrn } from '../databases/database-directory.js';
import { badRequest } from '../kernel/errors.js';
import type { Authenticator } from '../iam/authenticator.js';
import { isAllowed } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
import { normalizeAddress } from '../security/address-list.js';
import type { ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import type { DbAuthService } from './db-auth-service.js';

export interface AuthorizationRequest {
  /** An auth token (X-Cassandra-Token), an `AstraCS:` token or a service-account JWT. */
  credential: string;
  /** The address the gateway's client connected from. */
  address: string;
  databaseId: string;
  keyspace?: string;
  table?: string;
  /** A data action such as db-cql, db-rest, db-table-select or db-table-modify. */
  action: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  reason: string;
  principal: { kind: Principal['kind']; clientId: string; orgId: string; roleIds: string[] } | null;
}

const DATA_ACTION = /^db-[a-z-]{1,60}$/;
const NAME = /^[A-Za-z0-9_]{1,48}$/;

export interface AuthorizationServiceDeps {
  db: Kysely<Database>;
  authenticator: Authenticator;
  dbAuth: DbAuthService;
  audit: AuditLog;
  /** Databases are read through it. */
  cache: ReadCache;
}

/**
 * The decision a data gateway asks for before it lets a request through: the same permission rule
 * as the DevOps API, plus the database's state and access list. Denials are audited.
 */
export class AuthorizationService {
  constructor(private readonly deps: AuthorizationServiceDeps) {}

  async decide(gateway: Actor, request: AuthorizationRequest): Promise<AuthorizationDecision> {
    if (!DATA_ACTION.test(request.action))
      throw badRequest(`action "${request.action}" is not a data action (db-cql, db-rest, db-table-select, ...).`);
    if (!normalizeAddress(request.address) || request.address.includes('/'))
      throw badRequest(`address "${request.address}" is not an IPv4 or IPv6 address.`);
    if (request.table !== undefined && request.keyspace === undefined)
      throw badRequest('A table is named within a keyspace: give keyspace too.');
    for (const name of [request.keyspace, request.table]) {
      if (name !== undefined && !NAME.test(name)) throw badRequest(`"${name}" is not a keyspace or table name.`);
    }

    const orgId = gateway.principal.orgId;
    const database = await new DatabaseDirectory(this.deps.db, this.deps.cache).find(orgId, request.databaseId);
    // A gateway decides for its own organization's databases only; others look unknown.
    if (!database || database.status === 'TERMINATED')
      return this.#deny(gateway, request, null, `Database ${request.databaseId} is not known.`);
    const refusal = await this.deps.dbAuth.refusal(database, request.address);
    if (refusal) return this.#deny(gateway, request, null, refusal.message);

    const principal = await this.#principalOf(request.credential, database.id);
    if (!principal || principal.orgId !== orgId)
      return this.#deny(gateway, request, null, 'The credential is not valid for this database.');

    let resource = databaseDrn(orgId, database.id);
    if (request.keyspace) resource += `:keyspace:${request.keyspace}`;
    if (request.table) resource += `:table:${request.table}`;
    if (!isAllowed(principal.policies, orgId, request.action, resource)) {
      return this.#deny(
        gateway,
        request,
        principal,
        `The credential's roles do not grant ${request.action} on ${resource}.`,
      );
    }
    return { allowed: true, reason: `Granted ${request.action} on ${resource}.`, principal: summary(principal) };
  }

  /** An application token or JWT as the DevOps API reads them; anything else may be an auth token for this database. */
  async #principalOf(credential: string, databaseId: string): Promise<Principal | undefined> {
    return (
      (await this.deps.authenticator.fromCredential(credential)) ?? this.deps.dbAuth.validate(credential, databaseId)
    );
  }

  async #deny(
    gateway: Actor,
    request: AuthorizationRequest,
    principal: Principal | null,
    reason: string,
  ): Promise<AuthorizationDecision> {
    await this.deps.audit.record(this.deps.db, gateway, {
      action: 'DATA_ACCESS_DENIED',
      resource: request.databaseId,
      result: 'denied',
      details: {
        action: request.action,
        keyspace: request.keyspace,
        table: request.table,
        address: request.address,
        clientId: principal?.clientId,
        reason,
      },
    });
    return { allowed: false, reason, principal: principal && summary(principal) };
  }
}

function summary(principal: Principal): AuthorizationDecision['principal'] {
  return { kind: principal.kind, clientId: principal.clientId, orgId: principal.orgId, roleIds: principal.roleIds };
}
