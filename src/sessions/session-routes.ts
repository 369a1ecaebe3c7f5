import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import { badRequest, forbidden } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import { fromOwnOrigin, SESSION_COOKIE } from './session-gate.js';
import type { OpenedSession, SessionLimits, SessionService } from './session-service.js';

const tags = ['Portal sign-in'];
const extension = { 'x-orrery-extension': true } as const;
const SessionOpened = Type.Object({ csrfToken: Type.String() });
const InvitationCode = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }) });

/** The Portal's sign-in, sign-out and invitation routes, under /auth. */
export function registerSessionRoutes(
  app: AppServer,
  sessions: SessionService,
  limits: SessionLimits,
  publicBase: (request: FastifyRequest) => string,
): void {
  const setCookie = (request: FastifyRequest, reply: FastifyReply, opened: OpenedSession) =>
    reply.setCookie(SESSION_COOKIE, opened.secret, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      maxAge: Math.floor(limits.absoluteMs / 1000),
    });
  // A sign-in form posted from another site is refused, so nobody can be signed in to an account of someone else's choosing.
  const requireOwnOrigin = (request: FastifyRequest) => {
    if (!fromOwnOrigin(request)) throw forbidden('Sign-in requests must come from the Portal itself.');
  };

  app.post(
    '/auth/sign-in',
    {
      config: { permission: 'public' },
      schema: {
        ...extension,
        tags,
        summary:
          'Sign in to the Portal with an e-mail address and password, or with an application token; sets the session cookie',
        body: Type.Object({
          email: Type.Optional(Type.String({ maxLength: 254 })),
          password: Type.Optional(Type.String({ maxLength: 200 })),
          token: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: SessionOpened },
      },
    },
    async (request, reply) => {
      requireOwnOrigin(request);
      const { email, password, token } = request.body;
      let opened: OpenedSession;
      if (token !== undefined) opened = await sessions.signInWithToken(token, request.ip);
      else if (email !== undefined && password !== undefined)
        opened = await sessions.signInWithPassword(email, password, request.ip);
      else throw badRequest('Give an e-mail address and password, or an application token.');
      setCookie(request, reply, opened);
      return { csrfToken: opened.csrfToken };
    },
  );

  app.post(
    '/auth/sign-out',
    {
      config: { permission: 'public' },
      schema: { ...extension, tags, summary: 'End the Portal session of the cookie, if any' },
    },
    async (request, reply) => {
      requireOwnOrigin(request);
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) await sessions.signOut(secret);
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
    },
  );

  app.get(
    '/auth/session',
    {
      config: { permission: 'authenticated' },
      schema: {
        ...extension,
        tags,
        summary: 'Who the caller is: the organization, the roles, and for a Portal session its CSRF token',
        response: {
          200: Type.Object({
            kind: Type.String(),
            id: Type.String(),
            orgId: Type.String(),
            enterpriseId: Type.Optional(Type.String()),
            email: Type.Optional(Type.String()),
            roleIds: Type.Array(Type.String()),
            actions: Type.Array(Type.String()),
            csrfToken: Type.Optional(Type.String()),
            address: Type.String({
              description: 'The address this request came from, as Orrery sees it (for access-list warnings)',
            }),
          }),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const session = request.portalSession;
      return {
        kind: principal.kind,
        id: principal.clientId,
        orgId: principal.orgId,
        ...(principal.enterpriseId ? { enterpriseId: principal.enterpriseId } : {}),
        ...(session?.email ? { email: session.email } : {}),
        roleIds: principal.roleIds,
        actions: [...new Set(principal.policies.flatMap((p) => p.actions))].sort(),
        ...(session ? { csrfToken: session.csrfToken } : {}),
        address: request.ip,
      };
    },
  );

  app.post(
    '/auth/invitations',
    {
      config: { permission: { action: 'org-user-write' } },
      schema: {
        ...extension,
        tags,
        summary: 'Make a one-time link through which an invited user sets a password; e-mailed when SMTP is configured',
        body: Type.Object({ userId: Type.String({ maxLength: 64 }) }),
        response: { 201: Type.Object({ link: Type.String(), emailed: Type.Boolean() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await sessions.invitationLink(actorOf(request), request.body.userId, publicBase(request))),
  );

  // An invitation made through the DevOps API is e-mailed too. The Portal's Users page instead asks for
  // the link itself (POST /auth/invitations), which both shows it and e-mails it, so it is not sent twice.
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      request.method !== 'PUT' ||
      request.routeOptions.url !== '/v2/organizations/users' ||
      reply.statusCode !== 200 ||
      request.portalSession ||
      typeof payload !== 'string'
    )
      return payload;
    const user = JSON.parse(payload) as { UserID: string; Status: string };
    if (user.Status !== 'invited') return payload;
    try {
      await sessions.mailInvitation(actorOf(request), user.UserID, publicBase(request));
    } catch (error) {
      // The user is invited either way; a link can be made again from the Portal.
      request.log.error({ err: error }, 'the invitation e-mail could not be sent');
    }
    return payload;
  });

  app.get(
    '/auth/invitations/:code',
    {
      config: { permission: 'public' },
      schema: {
        ...extension,
        tags,
        summary: 'The address an invitation link was made for',
        params: InvitationCode,
        response: { 200: Type.Object({ email: Type.String() }) },
      },
    },
    async (request) => sessions.describeInvitation(request.params.code),
  );

  app.post(
    '/auth/invitations/:code/accept',
    {
      config: { permission: 'public' },
      schema: {
        ...extension,
        tags,
        summary: 'Accept an invitation: set a password, become active, and sign in',
        params: InvitationCode,
        body: Type.Object({ password: Type.String({ maxLength: 200 }) }),
        response: { 200: SessionOpened },
      },
    },
    async (request, reply) => {
      requireOwnOrigin(request);
      const opened = await sessions.acceptInvitation(request.params.code, request.body.password, request.ip);
      setCookie(request, reply, opened);
      return { csrfToken: opened.csrfToken };
    },
  );
}
