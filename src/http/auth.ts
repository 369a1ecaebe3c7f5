import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from '../kernel/errors.js';
import { orgDrn } from '../kernel/policy.js';
import type { AuthHooks } from '../kernel/auth-hooks.js';
import type { Principal } from '../kernel/principal.js';

/**
 * What a route needs from its caller. Every route declares one; the server refuses to start otherwise.
 * - 'public': no credential (health, docs, service-account login).
 * - 'authenticated': any valid credential of the organization (e.g. GET /v2/currentOrg).
 * - an action: the caller's roles must allow it on the resource (an org DRN unless the route says otherwise);
 *   with `filtered`, on at least one resource, and the service leaves out of its answer what the caller may not see.
 */
export type RoutePermission =
  | 'public'
  | 'authenticated'
  | { action: string; resource?: (request: FastifyRequest, principal: Principal) => string; filtered?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function permissionLabel(permission: RoutePermission): string {
  return typeof permission === 'string' ? permission : permission.action;
}

/** Returns the principal of an authenticated route; a programming error if called on a public one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`route ${request.routeOptions.url} read a principal it did not require`);
  return request.principal;
}

export function registerAuth(app: FastifyInstance, hooks: AuthHooks): void {
  const undeclared: string[] = [];
  app.addHook('onRoute', (route) => {
    if (route.config?.permission === undefined) undeclared.push(`${String(route.method)} ${route.url}`);
  });
  app.addHook('onReady', async () => {
    if (undeclared.length) throw new Error(`routes without a declared permission: ${undeclared.join(', ')}`);
  });

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission === 'public') return;
    // No route matched: the not-found handler answers, and it reveals nothing.
    if (permission === undefined && request.routeOptions.url === undefined) return;
    if (permission === undefined) throw forbidden();

    const principal = await hooks.authenticate(request);
    if (!principal) throw unauthenticated();
    await hooks.admit(principal, request);
    request.principal = principal;
    if (permission === 'authenticated') return;

    const resource = permission.resource?.(request, principal) ?? orgDrn(principal.orgId);
    const allowed = permission.filtered
      ? hooks.holdsAnywhere(principal, permission.action)
      : hooks.isAllowed(principal, permission.action, resource);
    if (!allowed) {
      await hooks.denied(principal, request, permission.action, resource);
      throw forbidden(`The token does not grant "${permission.action}" on ${resource}.`);
    }
  });
}
