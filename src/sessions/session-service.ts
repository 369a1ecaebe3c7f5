import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, notFound, unauthenticated } from '../kernel/errors.js';
import type { Authenticator } from '../iam/authenticator.js';
import { normalizeEmail } from '../iam/email.js';
import type { Actor, Principal } from '../kernel/principal.js';
import type { RoleResolver } from '../iam/role-resolver.js';
import type { UserService } from '../iam/user-service.js';
import { addressFailureKey } from '../iam/request-gate.js';
import type { FailureLimiter } from '../security/failure-limiter.js';
import type { CredentialHasher } from '../security/tokens.js';
import type { Database } from '../store/schema.js';
import type { InvitationMailer } from './invitation-mailer.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { SessionStore, type SessionRecord } from './session-store.js';

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };
const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60_000;
// Writing last_seen_at on every request would turn every read into a write; a minute's slack is harmless.
const TOUCH_INTERVAL_MS = 60_000;

/** A session just opened: the secret goes into the cookie and is never stored. */
export interface OpenedSession {
  secret: string;
  csrfToken: string;
}

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
  email?: string;
}

export interface SessionServiceDeps {
  db: Kysely<Database>;
  hasher: CredentialHasher;
  authenticator: Authenticator;
  roles: RoleResolver;
  users: UserService;
  /** Failed sign-ins allowed per address (IPv6 /64) a minute, counted like failed tokens. */
  failures: { limiter: FailureLimiter; allowed: number };
  audit: AuditLog;
  clock: Clock;
  /** Sends invitation links by e-mail when configured; the link is returned either way. */
  mailer?: InvitationMailer;
  limits: SessionLimits;
}

/**
 * Portal sign-in: people with an e-mail address and password, or anyone with an application token.
 * A session keeps no roles of its own: each request resolves its user's (or token's) current
 * roles, so removing a user or changing their roles applies on their next request.
 */
export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  async signInWithPassword(email: string, password: string, address: string): Promise<OpenedSession> {
    // A password can be guessed, so an address past its allowance is refused before any check:
    // the guesser limits only itself, and other addresses sign in as before.
    const key = addressFailureKey(address);
    if ((await this.deps.failures.limiter.failures(key)) >= this.deps.failures.allowed)
      throw this.deps.failures.limiter.refusal();
    const user = await this.#userWithPassword(email, password);
    if (!user) {
      await this.deps.failures.limiter.recordFailure(key);
      throw unauthenticated('The e-mail address or password is not right.');
    }
    return this.#open({ orgId: user.orgId, userId: user.userId, clientId: null }, address);
  }

  async signInWithToken(token: string, address: string): Promise<OpenedSession> {
    // As on the API, a verified token is never refused for others' failures; failures are counted.
    const principal = await this.deps.authenticator.fromCredential(token.trim());
    if (!principal || principal.kind !== 'token') {
      await this.deps.failures.limiter.countFailure(addressFailureKey(address), this.deps.failures.allowed);
      throw unauthenticated('That is not a valid application token.');
    }
    return this.#open({ orgId: principal.orgId, userId: null, clientId: principal.clientId }, address);
  }

  async #userWithPassword(email: string, password: string) {
    const normalized = normalizeEmail(email);
    const candidates = normalized ? await new SessionStore(this.deps.db).passwordsFor(normalized) : [];
    for (const candidate of candidates) {
      if (await verifyPassword(password, candidate.passwordHash)) return candidate;
    }
    return undefined;
  }

  /** The session a cookie's secret names, with its principal as of now; undefined when it has ended. */
  async resolve(secret: string): Promise<ActiveSession | undefined> {
    const store = new SessionStore(this.deps.db);
    const idHash = this.#idHash(secret);
    const session = await store.findSession(idHash);
    if (!session) return undefined;
    const now = this.deps.clock.now().getTime();
    if (
      now - Date.parse(session.lastSeenAt) >= this.deps.limits.idleMs ||
      now - Date.parse(session.createdAt) >= this.deps.limits.absoluteMs
    ) {
      await store.deleteSession(idHash);
      return undefined;
    }
    const acting = await this.#principal(session);
    if (!acting) {
      await store.deleteSession(idHash);
      return undefined;
    }
    if (now - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS)
      await store.touchSession(idHash, this.deps.clock.now().toISOString());
    return { ...acting, csrfToken: this.csrfToken(secret) };
  }

  /** The value a cookie-authenticated write must echo in X-CSRF-Token: derived from the secret, never stored. */
  csrfToken(secret: string): string {
    return this.deps.hasher.hash(`csrf:${secret}`);
  }

  async signOut(secret: string): Promise<void> {
    await new SessionStore(this.deps.db).deleteSession(this.#idHash(secret));
  }

  /** Makes a one-time link for an invited user, e-mails it when mail is set up, and returns it to the inviter. */
  async invitationLink(actor: Actor, userId: string, base: string): Promise<{ link: string; emailed: boolean }> {
    const user = await this.deps.users.get(actor.principal.orgId, userId);
    if (user.status !== 'invited') throw badRequest(`${user.email} has already accepted an invitation.`);
    const code = randomBytes(24).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await new SessionStore(trx).insertInvitation(
        this.#codeHash(code),
        user.orgId,
        user.id,
        now.toISOString(),
        new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
      );
      await this.deps.audit.record(trx, actor, {
        action: 'CREATE_INVITATION_LINK',
        resource: user.id,
        details: { email: user.email },
      });
    });
    const link = `${base}/invitations/${code}`;
    if (this.deps.mailer) await this.deps.mailer.send(user.email, link);
    return { link, emailed: this.deps.mailer !== undefined };
  }

  /**
   * E-mails an invited user a one-time link, when mail is set up; the DevOps API's invitation
   * (`PUT /v2/organizations/users`) calls it, since its answer has no room for the link.
   */
  async mailInvitation(actor: Actor, userId: string, base: string): Promise<void> {
    if (this.deps.mailer) await this.invitationLink(actor, userId, base);
  }

  async describeInvitation(code: string): Promise<{ email: string }> {
    const invitation = await this.#liveInvitation(code);
    const user = await this.deps.users.get(invitation.orgId, invitation.userId);
    return { email: user.email };
  }

  /** Sets the invited user's password, makes them active, and signs them in. */
  async acceptInvitation(code: string, password: string, address: string): Promise<OpenedSession> {
    const problem = passwordProblem(password);
    if (problem) throw badRequest(problem);
    const invitation = await this.#liveInvitation(code);
    const user = await this.deps.users.get(invitation.orgId, invitation.userId);
    // Each new link leaves the older ones valid; once one is accepted, the others may not set a password again.
    if (user.status !== 'invited') throw notFound('This invitation link has already been used.');
    const passwordHash = await hashPassword(password);
    await this.deps.db.transaction().execute(async (trx) => {
      const store = new SessionStore(trx);
      if (!(await store.useInvitation(this.#codeHash(code))))
        throw notFound('This invitation link has already been used.');
      await store.setPassword(user.id, user.orgId, user.email, passwordHash, this.deps.clock.now().toISOString());
    });
    await this.deps.users.activate(user.orgId, user.id);
    return this.#open({ orgId: user.orgId, userId: user.id, clientId: null }, address);
  }

  async #liveInvitation(code: string) {
    const invitation = await new SessionStore(this.deps.db).findInvitation(this.#codeHash(code));
    if (!invitation || Date.parse(invitation.expiresAt) <= this.deps.clock.now().getTime())
      throw notFound('This invitation link is not valid: it was used, it expired, or it was never issued.');
    return invitation;
  }

  async #principal(session: SessionRecord): Promise<Omit<ActiveSession, 'csrfToken'> | undefined> {
    if (session.clientId) {
      const principal = await this.deps.authenticator.stillValid(session.clientId);
      return principal && { principal };
    }
    const user = await this.deps.users.get(session.orgId, session.userId!).catch(() => undefined);
    if (!user || user.status !== 'active') return undefined;
    const roles = await this.deps.roles.resolve(user.orgId, user.roleIds);
    return {
      email: user.email,
      principal: {
        kind: 'user',
        clientId: user.id,
        orgId: user.orgId,
        roleIds: user.roleIds,
        policies: roles.map((r) => r.policy),
      },
    };
  }

  async #open(who: Pick<SessionRecord, 'orgId' | 'userId' | 'clientId'>, address: string): Promise<OpenedSession> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now().toISOString();
    await new SessionStore(this.deps.db).insertSession({
      idHash: this.#idHash(secret),
      ...who,
      createdAt: now,
      lastSeenAt: now,
    });
    const principal: Principal = {
      kind: who.userId ? 'user' : 'token',
      clientId: who.userId ?? who.clientId!,
      orgId: who.orgId,
      roleIds: [],
      policies: [],
    };
    await this.deps.audit.record(
      this.deps.db,
      { principal, address },
      { action: 'SIGN_IN', resource: principal.clientId },
    );
    return { secret, csrfToken: this.csrfToken(secret) };
  }

  #idHash(secret: string): string {
    return this.deps.hasher.hash(`session:${secret}`);
  }

  #codeHash(code: string): string {
    return this.deps.hasher.hash(`invitation:${code}`);
  }
}
