import type { ApiClient } from './api-client.js';
import { CliError, ExitCode } from './exit-codes.js';

export interface RoleView {
  ID: string;
  Name: string;
  Policy: { description: string; effect: string; resources: string[]; actions: string[] };
  OrgID?: string;
}

export async function listRoles(client: ApiClient): Promise<RoleView[]> {
  return client.get<RoleView[]>('/v2/organizations/roles');
}

/** Finds a role by id or by name (names are matched case-insensitively, as people type them). */
export function findRole(roles: RoleView[], idOrName: string): RoleView {
  const role =
    roles.find((r) => r.ID === idOrName) ?? roles.find((r) => r.Name.toLowerCase() === idOrName.toLowerCase());
  if (!role) throw new CliError(`no role "${idOrName}"`, ExitCode.notFound);
  return role;
}

/** Turns role names or ids into ids, with one listing of the roles. */
export async function roleIds(client: ApiClient, idsOrNames: string[]): Promise<string[]> {
  const roles = await listRoles(client);
  return idsOrNames.map((r) => findRole(roles, r).ID);
}
