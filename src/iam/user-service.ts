import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, forbidden, notFound } from '../kernel/errors.js';
import type { Database } from '../store/schema.js';
import { normalizeEmail } from './email.js';
import { assertAdministratorRemains, holdsAdministrator } from './administrators.js';
import { assertHoldsAll, grantableRoleIds } from './grants.js';
import type { Role } from '../kernel/policy.js';
import type { Actor } from '../kernel/principal.js';
import type { RoleResolver } from './role-resolver.js';
import { UserStore, type UserRecord } from './user-store.js';

export interface UserWithRoles extends UserRecord {
  roles: Role[];
}

export interface UserServiceDeps {
  db: Kysely<Database>;
  roles: RoleResolver;
  audit: AuditLog;
  clock: Clock;
}

/** Organization members: invited by e-mail, given roles, removed. They sign in to the Portal (src/sessions). */
export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  async list(orgId: string): Promise<UserWithRoles[]> {
    const users = await new UserStore(this.deps.db).list(orgId);
    return Promise.all(users.map((u) => this.#withRoles(u)));
  }

  async get(orgId: string, userId: string): Promise<UserWithRoles> {
    const user = await new UserStore(this.deps.db).find(orgId, userId);
    if (!user) throw notFound(`No user ${userId} in this organization.`);
    return this.#withRoles(user);
  }

  /** Inviting an address already in the organization replaces its roles, so invites can be repeated safely. */
  async invite(
    actor: Actor,
    input: { email: string; orgId: string | undefined; roleIds: string[] },
  ): Promise<UserWithRoles> {
    const orgId = actor.principal.orgId;
    if (input.orgId !== undefined && input.orgId !== orgId)
      throw forbidden('Users can only be invited to the organization of the calling token.');
    const email = normalizeEmail(input.email);
    if (!email) throw badRequest(`"${input.email}" is not a valid e-mail address.`);
    const roleIds = await grantableRoleIds(this.deps.roles, actor.principal, input.roleIds);
    const now = this.deps.clock.now().toISOString();
    const user = await this.deps.db.transaction().execute(async (trx) => {
      const store = new UserStore(trx);
      const existing = await store.findByEmail(orgId, email);
      if (existing) {
        await this.#assertMayChange(trx, actor, existing, roleIds);
        await store.setRoles(orgId, existing.id, roleIds, now);
        await this.deps.audit.record(trx, actor, {
          action: 'UPDATE_USER_ROLES',
          resource: existing.id,
          details: { email, roles: roleIds },
        });
        return { ...existing, roleIds, updatedAt: now };
      }
      const created: UserRecord = {
        id: randomUUID(),
        orgId,
        email,
        status: 'invited',
        roleIds,
        createdAt: now,
        updatedAt: now,
      };
      await store.insert(created);
      await this.deps.audit.record(trx, actor, {
        action: 'INVITE_USER',
        resource: created.id,
        details: { email, roles: roleIds },
      });
      return created;
    });
    return this.#withRoles(user);
  }

  async setRoles(actor: Actor, userId: string, requested: string[]): Promise<void> {
    const orgId = actor.principal.orgId;
    const roleIds = await grantableRoleIds(this.deps.roles, actor.principal, requested);
    await this.deps.db.transaction().execute(async (trx) => {
      const store = new UserStore(trx);
      const user = await store.find(orgId, userId);
      if (!user) throw notFound(`No user ${userId} in this organization.`);
      await this.#assertMayChange(trx, actor, user, roleIds);
      await store.setRoles(orgId, userId, roleIds, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, {
        action: 'UPDATE_USER_ROLES',
        resource: userId,
        details: { roles: roleIds },
      });
    });
  }

  /** An invited user who accepted their invitation (and set a password) becomes active. */
  async activate(orgId: string, userId: string): Promise<void> {
    await new UserStore(this.deps.db).setStatus(orgId, userId, 'active', this.deps.clock.now().toISOString());
  }

  async remove(actor: Actor, userId: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const store = new UserStore(trx);
      const user = await store.find(actor.principal.orgId, userId);
      if (!user) throw notFound(`No user ${userId} in this organization.`);
      await this.#assertMayChange(trx, actor, user, []);
      await store.delete(actor.principal.orgId, userId);
      await this.deps.audit.record(trx, actor, { action: 'REMOVE_USER', resource: userId });
    });
  }

  /**
   * A user is changed or removed only by a caller holding everything the user holds (the granting
   * rule, applied to taking away), and never so that the organization loses its last administrator.
   */
  async #assertMayChange(
    db: Kysely<Database>,
    actor: Actor,
    user: UserRecord,
    newRoleIds: readonly string[],
  ): Promise<void> {
    const current = await this.deps.roles.resolve(user.orgId, user.roleIds);
    assertHoldsAll(
      actor.principal,
      current.map((r) => r.policy),
      'change or remove this user',
    );
    if (user.status === 'active' && holdsAdministrator(user.roleIds) && !holdsAdministrator(newRoleIds)) {
      await assertAdministratorRemains(db, user.orgId, this.deps.clock.now(), { userId: user.id });
    }
  }

  async #withRoles(user: UserRecord): Promise<UserWithRoles> {
    return { ...user, roles: await this.deps.roles.resolve(user.orgId, user.roleIds) };
  }
}
