import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AuthHooks } from '../kernel/auth-hooks.js';
import { forbidden } from '../kernel/errors.js';
import type { Principal } from '../kernel/principal.js';
import type { ActiveSession, SessionService } from './session-service.js';

export const SESSION_COOKIE = 'orrery_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request was authenticated by a Portal session cookie rather than a token. */
    portalSession?: ActiveSession;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when the request's Origin, if it sent one, is Orrery's own address. */
export function fromOwnOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

/**
 * Lets a Portal session cookie stand in for a token: a request with an Authorization header goes
 * through the token gate as before; one with only the cookie acts as the session's principal, and
 * the same access list and permission decision apply. A cookie-authenticated write must come from
 * Orrery's own origin and echo the session's CSRF token, which another site cannot read.
 */
export class SessionGate implements AuthHooks {
  constructor(
    private readonly tokens: AuthHooks,
    private readonly sessions: SessionService,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const secret = request.cookies[SESSION_COOKIE];
    if (request.headers.authorization !== undefined || !secret) return this.tokens.authenticate(request);
    const session = await this.sessions.resolve(secret);
    if (!session) return undefined;
    if (!SAFE_METHODS.has(request.method)) {
      const presented = request.headers[CSRF_HEADER];
      if (!fromOwnOrigin(request) || typeof presented !== 'string' || !sameText(presented, session.csrfToken)) {
        throw forbidden(
          'A change made with a Portal session must come from the Portal itself (its CSRF token was missing or wrong).',
        );
      }
    }
    request.portalSession = session;
    return session.principal;
  }

  admit(principal: Principal, request: FastifyRequest): Promise<void> {
    return this.tokens.admit(principal, request);
  }

  isAllowed(principal: Principal, action: string, resource: string): boolean {
    return this.tokens.isAllowed(principal, action, resource);
  }

  holdsAnywhere(principal: Principal, action: string): boolean {
    return this.tokens.holdsAnywhere(principal, action);
  }

  denied(principal: Principal, request: FastifyRequest, action: string, resource: string): Promise<void> {
    return this.tokens.denied(principal, request, action, resource);
  }
}
