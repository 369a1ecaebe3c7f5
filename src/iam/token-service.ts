import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { EnterpriseStore } from '../enterprises/enterprise-store.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { enterpriseRole } from './builtin-roles.js';
import { assertAdministratorRemains, holdsAdministrator } from './administrators.js';
import { assertHoldsAll, grantableRoleIds, requireKnownRoles } from './grants.js';
import { isAllowed, orgDrn, type Policy } from './policy.js';
import type { Actor, Principal } from './principal.js';
import type { RoleResolver } from './role-resolver.js';
import type { IssuedToken, TokenIssuer, TokenRequest } from './token-issuer.js';
import { TokenStore, type TokenRecord, type TokenScope } from './token-store.js';

export interface CreateTokenInput {
  roleIds: string[];
  tokenExpiry?: string;
  description?: string;
  orgId?: string;
}

/** Which tokens a request may see: `/v2/tokens` follows the caller's scope, `/v2/clientIdSecrets` never shows enterprise tokens. */
export type TokenView = 'tokens' | 'clientIdSecrets';

/**
 * Application tokens: create (shown once), list without secrets, revoke.
 *
 * Three kinds of creation:
 * - an organization token makes tokens of its own organization, with roles no stronger than its own;
 * - an enterprise token makes enterprise tokens (enterprise roles only) or, with `orgId`, tokens of a
 *   member organization using only that organization's roles;
 * - an Organization Administrator of an enterprise's primary organization makes its enterprise tokens.
 */
export class TokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly issuer: TokenIssuer,
    private readonly roles: RoleResolver,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
  ) {}

  async create(actor: Actor, input: CreateTokenInput): Promise<IssuedToken> {
    const target = await this.#target(actor.principal, input);
    const expiresAt = this.#expiry(input.tokenExpiry);
    const description = input.description?.trim() || undefined;

    return this.db.transaction().execute(async (trx) => {
      const issued = await this.issuer.issue(new TokenStore(trx), { ...target, description, expiresAt });
      await this.audit.record(trx, actor, {
        action: 'GENERATE_TOKEN',
        resource: issued.record.clientId,
        details: { orgId: target.orgId, enterpriseId: target.enterpriseId ?? null, roles: target.roleIds, description: description ?? null, tokenExpiry: expiresAt ?? null },
      });
      return issued;
    });
  }

  list(principal: Principal, view: TokenView): Promise<TokenRecord[]> {
    const scope = this.#scope(principal, view);
    return scope ? new TokenStore(this.db).list(scope) : Promise.resolve([]);
  }

  /**
   * Revokes a token no stronger than the caller (the granting rule, applied to taking away); the last
   * live token or user holding Organization Administrator is kept.
   */
  async revoke(actor: Actor, clientId: string, view: TokenView): Promise<void> {
    const scope = this.#scope(actor.principal, view);
    await this.db.transaction().execute(async (trx) => {
      const store = new TokenStore(trx);
      const token = scope && (await store.findInScope(scope, clientId));
      if (!scope || !token) throw notFound(`No token ${clientId} in this organization.`);
      assertHoldsAll(actor.principal, await this.#policiesOf(token), 'revoke this token');
      if (!token.enterpriseId && holdsAdministrator(token.roleIds)) await assertAdministratorRemains(trx, token.orgId, this.clock.now(), { clientId });
      await store.delete(scope, clientId);
      await this.audit.record(trx, actor, { action: 'REVOKE_TOKEN', resource: clientId });
    });
    this.cache.forget(cacheKeys.token(clientId));
  }

  async #policiesOf(token: TokenRecord): Promise<Policy[]> {
    const roles = token.enterpriseId ? this.roles.resolveEnterprise(token.roleIds) : await this.roles.resolve(token.orgId, token.roleIds);
    return roles.map((r) => r.policy);
  }

  #scope(principal: Principal, view: TokenView): TokenScope | undefined {
    if (!principal.enterpriseId) return { orgId: principal.orgId };
    return view === 'tokens' ? { enterpriseId: principal.enterpriseId } : undefined;
  }

  async #target(principal: Principal, input: CreateTokenInput): Promise<Pick<TokenRequest, 'orgId' | 'enterpriseId' | 'roleIds'>> {
    const requested = [...new Set(input.roleIds)];
    if (requested.length === 0) throw badRequest('roles must name at least one role ID.');
    const enterprises = new EnterpriseStore(this.db);
    const wantsEnterpriseRoles = requested.some((id) => enterpriseRole(id));

    if (principal.enterpriseId) {
      if (input.orgId !== undefined && input.orgId !== principal.orgId) {
        if (!(await enterprises.isMember(principal.enterpriseId, input.orgId))) throw notFound(`No organization ${input.orgId} in this enterprise.`);
        requireKnownRoles(requested, await this.roles.resolve(input.orgId, requested), `Unknown role ID(s) in organization ${input.orgId}`);
        return { orgId: input.orgId, roleIds: requested };
      }
      return { orgId: principal.orgId, enterpriseId: principal.enterpriseId, roleIds: this.#enterpriseRoleIds(principal, requested) };
    }

    if (input.orgId !== undefined && input.orgId !== principal.orgId) {
      throw forbidden('A token can only be created in the organization of the calling token.');
    }
    if (wantsEnterpriseRoles) {
      const enterprise = await enterprises.findByPrimaryOrg(principal.orgId);
      if (!enterprise || !isAllowed(principal.policies, principal.orgId, 'org-write', orgDrn(principal.orgId))) {
        throw forbidden("Enterprise tokens are made by an enterprise token, or by an administrator of the enterprise's primary organization.");
      }
      return { orgId: principal.orgId, enterpriseId: enterprise.id, roleIds: this.#enterpriseRoleIds(undefined, requested) };
    }
    return { orgId: principal.orgId, roleIds: await grantableRoleIds(this.roles, principal, requested) };
  }

  /** Only enterprise roles; an enterprise caller may not grant more than it holds. */
  #enterpriseRoleIds(principal: Principal | undefined, requested: string[]): string[] {
    const roles = this.roles.resolveEnterprise(requested);
    requireKnownRoles(requested, roles, 'Enterprise tokens take enterprise roles only; not');
    if (principal) assertHoldsAll(principal, roles.map((r) => r.policy), 'grant these roles');
    return requested;
  }

  #expiry(tokenExpiry: string | undefined): string | undefined {
    if (tokenExpiry === undefined) return undefined;
    const at = Date.parse(tokenExpiry);
    if (Number.isNaN(at)) throw badRequest('tokenExpiry must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z.');
    if (at <= this.clock.now().getTime()) throw badRequest('tokenExpiry must be in the future.');
    return new Date(at).toISOString();
  }
}
