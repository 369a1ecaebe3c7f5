import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, forbidden, notFound } from '../kernel/errors.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { ENTERPRISE_ROLES, builtinRole } from './builtin-roles.js';
import { assertHoldsAll, validatePolicy } from './grants.js';
import type { Policy, Role } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
import { RoleStore, type CustomRole } from './role-store.js';
import type { RoleResolver } from './role-resolver.js';
import { TokenStore } from './token-store.js';
import { UserStore } from './user-store.js';

export interface RoleInput {
  name: string;
  policy: Policy;
}

export interface RoleServiceDeps {
  db: Kysely<Database>;
  resolver: RoleResolver;
  audit: AuditLog;
  clock: Clock;
  cache: ReadCache;
}

/** Custom roles: create, change and delete them; built-in roles are read-only. */
export class RoleService {
  constructor(private readonly deps: RoleServiceDeps) {}

  /** An enterprise token sees the enterprise roles; an organization token its organization's. */
  async list(principal: Principal): Promise<readonly Role[]> {
    return principal.enterpriseId ? ENTERPRISE_ROLES : this.deps.resolver.all(principal.orgId);
  }

  async get(principal: Principal, roleId: string): Promise<Role> {
    const [role] = principal.enterpriseId
      ? this.deps.resolver.resolveEnterprise([roleId])
      : await this.deps.resolver.resolve(principal.orgId, [roleId]);
    if (!role) throw notFound(`No role ${roleId} in this organization.`);
    return role;
  }

  async create(actor: Actor, input: RoleInput): Promise<CustomRole> {
    return this.#save(actor, randomUUID(), input, true);
  }

  async update(actor: Actor, roleId: string, input: RoleInput): Promise<CustomRole> {
    if (builtinRole(roleId)) throw forbidden('Built-in roles cannot be changed.');
    await this.get(actor.principal, roleId);
    return this.#save(actor, roleId, input, false);
  }

  /** A role still held by a token or a user is not deleted (409): revoke or reassign first. */
  async delete(actor: Actor, roleId: string): Promise<void> {
    if (builtinRole(roleId)) throw forbidden('Built-in roles cannot be deleted.');
    const orgId = actor.principal.orgId;
    await this.get(actor.principal, roleId);
    await this.deps.db.transaction().execute(async (trx) => {
      const holders = await this.#holders(trx, orgId, roleId);
      if (holders > 0)
        throw conflict(`The role is held by ${holders} token(s) or user(s); revoke or reassign them first.`);
      await new RoleStore(trx).delete(orgId, roleId);
      await this.deps.audit.record(trx, actor, { action: 'DELETE_ROLE', resource: roleId });
    });
    this.deps.cache.forget(cacheKeys.customRoles(orgId));
  }

  async #save(actor: Actor, id: string, input: RoleInput, isNew: boolean): Promise<CustomRole> {
    const orgId = actor.principal.orgId;
    const name = input.name.trim();
    if (!name || name.length > 100) throw badRequest('name must be 1 to 100 characters.');
    validatePolicy(input.policy, orgId);
    assertHoldsAll(actor.principal, [input.policy], 'grant this policy');
    const role: CustomRole = {
      id,
      orgId,
      name,
      builtIn: false,
      policy: {
        description: input.policy.description,
        effect: 'allow',
        resources: input.policy.resources,
        actions: [...new Set(input.policy.actions)],
      },
      updatedAt: this.deps.clock.now().toISOString(),
      updatedBy: actor.principal.clientId,
    };
    const saved = await this.deps.db.transaction().execute(async (trx) => {
      const store = new RoleStore(trx);
      const sameName = await store.findByName(orgId, name);
      if (sameName && sameName.id !== id) throw conflict(`A role named "${name}" already exists.`);
      await store.upsert(role, isNew);
      await this.deps.audit.record(trx, actor, {
        action: isNew ? 'CREATE_ROLE' : 'UPDATE_ROLE',
        resource: id,
        details: { name, actions: role.policy.actions, resources: role.policy.resources },
      });
      return role;
    });
    this.deps.cache.forget(cacheKeys.customRoles(orgId));
    return saved;
  }

  async #holders(db: Kysely<Database>, orgId: string, roleId: string): Promise<number> {
    const tokens = await new TokenStore(db).countHoldingRole(orgId, roleId);
    const users = await new UserStore(db).countHoldingRole(orgId, roleId);
    return tokens + users;
  }
}
