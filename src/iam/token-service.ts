import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import type { Database } from '../store/schema.js';
import { grantableRoleIds } from './grants.js';
import type { Actor } from './principal.js';
import type { RoleResolver } from './role-resolver.js';
import type { IssuedToken, TokenIssuer } from './token-issuer.js';
import { TokenStore, type TokenRecord } from './token-store.js';

export interface CreateTokenInput {
  roleIds: string[];
  tokenExpiry?: string;
  description?: string;
  orgId?: string;
}

/** Application tokens: create (shown once), list without secrets, revoke. */
export class TokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly issuer: TokenIssuer,
    private readonly roles: RoleResolver,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateTokenInput): Promise<IssuedToken> {
    const orgId = actor.principal.orgId;
    if (input.orgId !== undefined && input.orgId !== orgId) {
      throw forbidden('A token can only be created in the organization of the calling token.');
    }
    const roleIds = await grantableRoleIds(this.roles, actor.principal, input.roleIds);

    let expiresAt: string | undefined;
    if (input.tokenExpiry !== undefined) {
      const at = Date.parse(input.tokenExpiry);
      if (Number.isNaN(at)) throw badRequest('tokenExpiry must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z.');
      if (at <= this.clock.now().getTime()) throw badRequest('tokenExpiry must be in the future.');
      expiresAt = new Date(at).toISOString();
    }
    const description = input.description?.trim() || undefined;
    if (description && description.length > 256) throw badRequest('description must be at most 256 characters.');

    return this.db.transaction().execute(async (trx) => {
      const issued = await this.issuer.issue(new TokenStore(trx), { orgId, roleIds, description, expiresAt });
      await this.audit.record(trx, actor, {
        action: 'GENERATE_TOKEN',
        resource: issued.record.clientId,
        details: { roles: roleIds, description: description ?? null, tokenExpiry: expiresAt ?? null },
      });
      return issued;
    });
  }

  list(orgId: string): Promise<TokenRecord[]> {
    return new TokenStore(this.db).listByOrg(orgId);
  }

  async revoke(actor: Actor, clientId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const deleted = await new TokenStore(trx).delete(actor.principal.orgId, clientId);
      if (!deleted) throw notFound(`No token ${clientId} in this organization.`);
      await this.audit.record(trx, actor, { action: 'REVOKE_TOKEN', resource: clientId });
    });
  }
}
