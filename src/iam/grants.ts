import { badRequest, forbidden } from '../kernel/errors.js';
import { ORG_PLACEHOLDER, isAllowed, type Policy, type Role } from '../kernel/policy.js';
import type { Principal } from '../kernel/principal.js';
import type { RoleResolver } from './role-resolver.js';

const DRN =
  /^drn:astra:org:([^:\s]+)(?::(?:db:[^:\s]+(?::keyspace:[^:\s]+(?::table:[^:\s]+)?)?|stream:[^:\s]+|role:[^:\s]+))?$/;
const ACTION = /^[a-z][a-z0-9-]{1,63}$/;

/** Checks a policy's shape; DRNs may only name the caller's own organization (or the placeholder). */
export function validatePolicy(policy: Policy, orgId: string): void {
  if (policy.effect !== 'allow') throw badRequest('policy.effect must be "allow".');
  if (policy.actions.length === 0) throw badRequest('policy.actions must name at least one action.');
  if (policy.resources.length === 0) throw badRequest('policy.resources must name at least one resource.');
  for (const action of policy.actions) {
    if (!ACTION.test(action))
      throw badRequest(`"${action}" is not an action name (lower-case letters, digits and dashes).`);
  }
  for (const resource of policy.resources) {
    const match = DRN.exec(resource);
    if (!match)
      throw badRequest(
        `"${resource}" is not a resource name; expected drn:astra:org:<org>[:db:<db>[:keyspace:<ks>[:table:<t>]]].`,
      );
    if (match[1] !== orgId && match[1] !== ORG_PLACEHOLDER && match[1] !== '*') {
      throw badRequest(`"${resource}" names another organization.`);
    }
  }
}

/**
 * A caller acts only on credentials no stronger than itself: every action on every resource of the
 * policies must be allowed to the caller. The one rule behind handing out (a token-writer cannot mint
 * a stronger token, a role-writer cannot widen a role) and taking away (a token-writer cannot revoke
 * a stronger token, a user administrator cannot demote or remove a stronger user).
 * `purpose` completes "The caller cannot ...".
 */
export function assertHoldsAll(principal: Principal, policies: readonly Policy[], purpose: string): void {
  for (const policy of policies) {
    for (const pattern of policy.resources) {
      const resource = pattern
        .replaceAll(ORG_PLACEHOLDER, principal.orgId)
        .replace(/^drn:astra:org:\*/, `drn:astra:org:${principal.orgId}`);
      for (const action of policy.actions) {
        if (!isAllowed(principal.policies, principal.orgId, action, resource)) {
          throw forbidden(`The caller cannot ${purpose}: it does not hold "${action}" on ${resource} itself.`);
        }
      }
    }
  }
}

/** Refuses with 400, naming them after `problem`, the requested IDs that no resolved role has. */
export function requireKnownRoles(requested: readonly string[], found: readonly Role[], problem: string): void {
  const unknown = requested.filter((id) => !found.some((r) => r.id === id));
  if (unknown.length) throw badRequest(`${problem}: ${unknown.join(', ')}.`);
}

/**
 * Checks a list of role IDs a caller wants to hand out (to a token or a user): at least one, all
 * existing in the caller's organization, none stronger than the caller. Returns them de-duplicated.
 */
export async function grantableRoleIds(
  resolver: RoleResolver,
  principal: Principal,
  requested: readonly string[],
): Promise<string[]> {
  const roleIds = [...new Set(requested)];
  if (roleIds.length === 0) throw badRequest('roles must name at least one role ID.');
  const roles = await resolver.resolve(principal.orgId, roleIds);
  requireKnownRoles(roleIds, roles, 'Unknown role ID(s)');
  assertHoldsAll(
    principal,
    roles.map((r) => r.policy),
    'grant these roles',
  );
  return roleIds;
}
