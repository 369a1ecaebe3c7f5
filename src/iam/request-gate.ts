import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthHooks } from '../kernel/auth-hooks.js';
import type { DevopsAclService } from '../orgs/devops-acl-service.js';
import { callerNetwork } from '../security/address-list.js';
import type { FailureLimiter } from '../security/failure-limiter.js';
import type { Database } from '../store/schema.js';
import type { Authenticator } from './authenticator.js';
import { isAllowed } from '../kernel/policy.js';
import type { Principal } from '../kernel/principal.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Failed credentials counted against an address (an IPv6 /64) per window, for the DevOps API and
 * service-account login alike.
 */
export function addressFailureKey(address: string): string[] {
  return ['devops', callerNetwork(address)];
}

export interface RequestGateDeps {
  db: Kysely<Database>;
  authenticator: Authenticator;
  limiter: FailureLimiter;
  failuresAllowed: number;
  devopsAcl: DevopsAclService;
  audit: AuditLog;
}

/** What every DevOps API request passes: credential (failures limited), address list, permission. */
export class RequestGate implements AuthHooks {
  constructor(private readonly deps: RequestGateDeps) {}

  /**
   * A verified credential always passes, whatever else came from its address: tokens are too long
   * to guess, so the limit exists to stop guessing traffic, not to refuse working clients. A request
   * with no credential is refused without being counted as a guess.
   */
  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const header = request.headers.authorization;
    if (!header?.trim()) return undefined;
    const principal = await this.deps.authenticator.fromAuthorizationHeader(header);
    if (!principal) await this.deps.limiter.countFailure(addressFailureKey(request.ip), this.deps.failuresAllowed);
    return principal;
  }

  async admit(principal: Principal, request: FastifyRequest): Promise<void> {
    await this.deps.devopsAcl.assertAdmits(principal.orgId, request.ip);
  }

  isAllowed(principal: Principal, action: string, resource: string): boolean {
    return isAllowed(principal.policies, principal.orgId, action, resource);
  }

  holdsAnywhere(principal: Principal, action: string): boolean {
    return principal.policies.some((policy) => policy.actions.includes(action));
  }

  async denied(principal: Principal, request: FastifyRequest, action: string, resource: string): Promise<void> {
    // Refused changes are worth a record; refused reads would only be noise.
    if (READ_METHODS.has(request.method)) return;
    await this.deps.audit.record(
      this.deps.db,
      { principal, address: request.ip },
      { action, resource, result: 'denied', details: { method: request.method, route: request.routeOptions.url } },
    );
  }
}
