import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal.js';

/**
 * What the HTTP layer's auth hook asks of the identity areas for each request. It lives in the kernel so that
 * the gates that answer it (iam, sessions) need not import the HTTP layer.
 */
export interface AuthHooks {
  /** Turns the request's credential into a principal, or undefined when there is none or it is not valid. */
  authenticate(request: FastifyRequest): Promise<Principal | undefined>;
  /** Checks that the principal may call the API from this request's address (the DevOps access list). */
  admit(principal: Principal, request: FastifyRequest): Promise<void>;
  /** The single permission decision. */
  isAllowed(principal: Principal, action: string, resource: string): boolean;
  /** True when the principal holds the action on some resource (for routes that filter their answer). */
  holdsAnywhere(principal: Principal, action: string): boolean;
  /** Called when a principal is refused an action, so that the refusal can be audited. */
  denied(principal: Principal, request: FastifyRequest, action: string, resource: string): Promise<void>;
}
