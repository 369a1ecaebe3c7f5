import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, forbidden, notFound } from '../kernel/errors.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { enterpriseRole } from './builtin-roles.js';
import { assertAdministratorRemains, holdsAdministrator } from './administrators.js';
import { assertHoldsAll, grantableRoleIds, requireKnownRoles } from './grants.js';
import type { DevopsAclService } from '../orgs/devops-acl-service.js';
import type { Policy } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
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

/** What tokens need to know of enterprises; the enterprises area answers it (wired in src/app.ts). */
export interface EnterpriseMembership {
  enterpriseOf(orgId: string): Promise<string | undefined>;
  isMember(enterpriseId: string, orgId: string): Promise<boolean>;
  findByPrimaryOrg(orgId: string): Promise<{ id: string } | undefined>;
}

export interface TokenServiceDeps {
  db: Kysely<Database>;
  issuer: TokenIssuer;
  roles: RoleResolver;
  audit: AuditLog;
  clock: Clock;
  cache: ReadCache;
  enterprises: EnterpriseMembership;
  devopsAcl: Pick<DevopsAclService, 'assertAdmits'>;
}

/**
 * Application tokens: create (shown once), list without secrets, revoke.
 *
 * Three kinds of creation:
 * - an organization token makes tokens of its own organization, with roles no stronger than its own;
 * - an enterprise token makes enterprise tokens (enterprise roles only) or, with `orgId`, tokens of a
 *   member organization using only that organization's roles;
 * - a token of an enterprise's primary organization holding the enterprise roles' permissions (its
 *   Organization Administrators) makes its enterprise tokens.
 * Revoking takes holding every permission of the token revoked; an organization's administrators may
 * also list and revoke the tokens of its enterprise, which can act on it.
 */
export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  /**
   * An enterprise token minting into a member organization acts on that organization: the member's
   * DevOps API access list applies, and the member's audit log records it (as does the enterprise's).
   */
  async create(actor: Actor, input: CreateTokenInput): Promise<IssuedToken> {
    const target = await this.#target(actor.principal, input);
    if (target.orgId !== actor.principal.orgId) await this.deps.devopsAcl.assertAdmits(target.orgId, actor.address);
    const expiresAt = this.#expiry(actor.principal, input.tokenExpiry);
    const description = input.description?.trim() || undefined;

    return this.deps.db.transaction().execute(async (trx) => {
      const issued = await this.deps.issuer.issue(trx, { ...target, description, expiresAt });
      const entry = {
        action: 'GENERATE_TOKEN',
        resource: issued.record.clientId,
        details: {
          orgId: target.orgId,
          enterpriseId: target.enterpriseId ?? null,
          roles: target.roleIds,
          description: description ?? null,
          tokenExpiry: expiresAt ?? null,
        },
      };
      await this.deps.audit.record(trx, actor, entry);
      if (target.orgId !== actor.principal.orgId)
        await this.deps.audit.record(trx, actor, { ...entry, orgId: target.orgId });
      return issued;
    });
  }

  list(principal: Principal, view: TokenView): Promise<TokenRecord[]> {
    const scope = this.#scope(principal, view);
    return scope ? new TokenStore(this.deps.db).list(scope) : Promise.resolve([]);
  }

  /**
   * Revokes a token no stronger than the caller (the granting rule, applied to taking away); the last
   * live token or user holding Organization Administrator is kept.
   */
  async revoke(actor: Actor, clientId: string, view: TokenView): Promise<void> {
    await this.#revoke(actor, clientId, this.#scope(actor.principal, view));
  }

  /** The tokens of the enterprise the caller's organization belongs to: they can act on it. */
  async listEnterpriseTokens(principal: Principal): Promise<TokenRecord[]> {
    const enterpriseId = await this.deps.enterprises.enterpriseOf(principal.orgId);
    return enterpriseId ? new TokenStore(this.deps.db).list({ enterpriseId }) : [];
  }

  /** An organization's administrators may revoke an enterprise token that can act on the organization. */
  async revokeEnterpriseToken(actor: Actor, clientId: string): Promise<void> {
    const enterpriseId = await this.deps.enterprises.enterpriseOf(actor.principal.orgId);
    await this.#revoke(actor, clientId, enterpriseId ? { enterpriseId } : undefined);
  }

  async #revoke(actor: Actor, clientId: string, scope: TokenScope | undefined): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const store = new TokenStore(trx);
      const token = scope && (await store.findInScope(scope, clientId));
      if (!scope || !token) throw notFound(`No token ${clientId} in this organization.`);
      assertHoldsAll(actor.principal, await this.#policiesOf(token), 'revoke this token');
      if (!token.enterpriseId && holdsAdministrator(token.roleIds))
        await assertAdministratorRemains(trx, token.orgId, this.deps.clock.now(), { clientId });
      await store.delete(scope, clientId);
      await this.deps.audit.record(trx, actor, { action: 'REVOKE_TOKEN', resource: clientId });
      if (token.orgId !== actor.principal.orgId)
        await this.deps.audit.record(trx, actor, { action: 'REVOKE_TOKEN', resource: clientId, orgId: token.orgId });
    });
    this.deps.cache.forget(cacheKeys.token(clientId));
  }

  async #policiesOf(token: TokenRecord): Promise<Policy[]> {
    const roles = token.enterpriseId
      ? this.deps.roles.resolveEnterprise(token.roleIds)
      : await this.deps.roles.resolve(token.orgId, token.roleIds);
    return roles.map((r) => r.policy);
  }

  #scope(principal: Principal, view: TokenView): TokenScope | undefined {
    if (!principal.enterpriseId) return { orgId: principal.orgId };
    return view === 'tokens' ? { enterpriseId: principal.enterpriseId } : undefined;
  }

  async #target(
    principal: Principal,
    input: CreateTokenInput,
  ): Promise<Pick<TokenRequest, 'orgId' | 'enterpriseId' | 'roleIds'>> {
    const requested = [...new Set(input.roleIds)];
    if (requested.length === 0) throw badRequest('roles must name at least one role ID.');
    const wantsEnterpriseRoles = requested.some((id) => enterpriseRole(id));

    if (principal.enterpriseId) {
      if (input.orgId !== undefined && input.orgId !== principal.orgId) {
        if (!(await this.deps.enterprises.isMember(principal.enterpriseId, input.orgId)))
          throw notFound(`No organization ${input.orgId} in this enterprise.`);
        requireKnownRoles(
          requested,
          await this.deps.roles.resolve(input.orgId, requested),
          `Unknown role ID(s) in organization ${input.orgId}`,
        );
        return { orgId: input.orgId, roleIds: requested };
      }
      return {
        orgId: principal.orgId,
        enterpriseId: principal.enterpriseId,
        roleIds: this.#enterpriseRoleIds(principal, requested),
      };
    }

    if (input.orgId !== undefined && input.orgId !== principal.orgId) {
      throw forbidden('A token can only be created in the organization of the calling token.');
    }
    if (wantsEnterpriseRoles) {
      const enterprise = await this.deps.enterprises.findByPrimaryOrg(principal.orgId);
      if (!enterprise)
        throw forbidden(
          "Enterprise tokens are made by an enterprise token, or by an administrator of the enterprise's primary organization.",
        );
      return {
        orgId: principal.orgId,
        enterpriseId: enterprise.id,
        roleIds: this.#enterpriseRoleIds(principal, requested),
      };
    }
    return { orgId: principal.orgId, roleIds: await grantableRoleIds(this.deps.roles, principal, requested) };
  }

  /** Only enterprise roles, and only those whose permissions the caller holds. */
  #enterpriseRoleIds(principal: Principal, requested: string[]): string[] {
    const roles = this.deps.roles.resolveEnterprise(requested);
    requireKnownRoles(requested, roles, 'Enterprise tokens take enterprise roles only; not');
    assertHoldsAll(
      principal,
      roles.map((r) => r.policy),
      'grant these roles',
    );
    return requested;
  }

  /** A token never outlives the credential that minted it: without tokenExpiry it expires with its creator. */
  #expiry(creator: Principal, tokenExpiry: string | undefined): string | undefined {
    if (tokenExpiry === undefined) return creator.expiresAt;
    const at = Date.parse(tokenExpiry);
    if (Number.isNaN(at)) throw badRequest('tokenExpiry must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z.');
    if (at <= this.deps.clock.now().getTime()) throw badRequest('tokenExpiry must be in the future.');
    if (creator.expiresAt && at > Date.parse(creator.expiresAt)) {
      throw badRequest(`tokenExpiry must not be later than the calling token's own expiry, ${creator.expiresAt}.`);
    }
    return new Date(at).toISOString();
  }
}
