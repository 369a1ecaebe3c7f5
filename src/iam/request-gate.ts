import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthHooks } from '../http/auth.js';
import { ApiError, ErrorIds } from '../http/errors.js';
import type { DevopsAclService } from '../orgs/devops-acl-service.js';
import type { FailureLimiter } from '../security/failure-limiter.js';
import type { Database } from '../store/schema.js';
import type { Authenticator } from './authenticator.js';
import { isAllowed } from './policy.js';
import type { Principal } from './principal.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What every DevOps API request passes: rate limit, credential, address list, permission. */
export class RequestGate implements AuthHooks {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly authenticator: Authenticator,
    private readonly limiter: FailureLimiter,
    private readonly devopsAcl: DevopsAclService,
    private readonly audit: AuditLog,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    return this.limiter.attempt(request.ip, () => this.authenticator.fromAuthorizationHeader(request.headers.authorization));
  }

  async admit(principal: Principal, request: FastifyRequest): Promise<void> {
    if (!(await this.devopsAcl.admits(principal.orgId, request.ip))) {
      throw new ApiError(403, ErrorIds.addressNotAllowed, `Requests from ${request.ip} are not in the organization's DevOps API access list.`);
    }
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
    await this.audit.record(this.db, { principal, address: request.ip }, { action, resource, result: 'denied', details: { method: request.method, route: request.routeOptions.url } });
  }
}
