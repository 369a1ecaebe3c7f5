import { BUILTIN_ROLES, builtinRole, enterpriseRole } from './builtin-roles.js';
import type { Role } from '../kernel/policy.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { CustomRole, RoleStore } from './role-store.js';

/** Looks roles up for an organization: built-in ones from code, custom ones from the store. */
export class RoleResolver {
  constructor(
    private readonly customRoles: RoleStore,
    private readonly cache: ReadCache,
  ) {}

  /** The roles among `roleIds` that exist in the organization; unknown ids are left out. */
  async resolve(orgId: string, roleIds: readonly string[]): Promise<Role[]> {
    const builtIn = roleIds.map((id) => builtinRole(id)).filter((r): r is Role => r !== undefined);
    const customIds = roleIds.filter((id) => !builtinRole(id));
    if (customIds.length === 0) return builtIn;
    const custom = await this.#custom(orgId);
    return [...builtIn, ...custom.filter((r) => customIds.includes(r.id))];
  }

  resolveEnterprise(roleIds: readonly string[]): Role[] {
    return roleIds.map((id) => enterpriseRole(id)).filter((r): r is Role => r !== undefined);
  }

  async all(orgId: string): Promise<Role[]> {
    return [...BUILTIN_ROLES, ...(await this.#custom(orgId))];
  }

  #custom(orgId: string): Promise<CustomRole[]> {
    return this.cache.get(cacheKeys.customRoles(orgId), () => this.customRoles.list(orgId));
  }
}
