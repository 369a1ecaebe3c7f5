import { BUILTIN_ROLES, builtinRole, enterpriseRole } from './builtin-roles.js';
import type { Role } from './policy.js';
import type { RoleStore } from './role-store.js';

/** Looks roles up for an organization: built-in ones from code, custom ones from the store. */
export class RoleResolver {
  constructor(private readonly customRoles: RoleStore) {}

  /** The roles among `roleIds` that exist in the organization; unknown ids are left out. */
  async resolve(orgId: string, roleIds: readonly string[]): Promise<Role[]> {
    const builtIn = roleIds.map((id) => builtinRole(id)).filter((r): r is Role => r !== undefined);
    const customIds = roleIds.filter((id) => !builtinRole(id));
    return [...builtIn, ...(await this.customRoles.findMany(orgId, customIds))];
  }

  resolveEnterprise(roleIds: readonly string[]): Role[] {
    return roleIds.map((id) => enterpriseRole(id)).filter((r): r is Role => r !== undefined);
  }

  async all(orgId: string): Promise<Role[]> {
    return [...BUILTIN_ROLES, ...(await this.customRoles.list(orgId))];
  }
}
