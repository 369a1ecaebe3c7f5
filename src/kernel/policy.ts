/** Roles, their policies, and the single permission decision every route and service uses. */
export interface Policy {
  description: string;
  effect: 'allow';
  resources: string[];
  actions: string[];
}

export interface Role {
  id: string;
  name: string;
  builtIn: boolean;
  policy: Policy;
}

export const ORG_PLACEHOLDER = '__ORG_ID__';

export function orgDrn(orgId: string): string {
  return `drn:astra:org:${orgId}`;
}

/**
 * True when a DRN pattern covers a resource: the same number of segments, each equal or `*`.
 * A pattern never covers deeper resources implicitly; roles name each level they grant.
 */
export function drnMatches(pattern: string, resource: string): boolean {
  const want = pattern.split(':');
  const have = resource.split(':');
  if (want.length !== have.length) return false;
  return want.every((segment, i) => segment === '*' || segment === have[i]);
}

/** Deny by default: allowed only when some policy names the action on a resource pattern that covers it. */
export function isAllowed(policies: readonly Policy[], orgId: string, action: string, resource: string): boolean {
  return policies.some(
    (policy) =>
      policy.effect === 'allow' &&
      policy.actions.includes(action) &&
      policy.resources.some((pattern) => drnMatches(pattern.replaceAll(ORG_PLACEHOLDER, orgId), resource)),
  );
}

/**
 * True when some policy grants a data action (`db-...`) on the database or anything inside it:
 * what a credential needs to be given an auth token for that database.
 */
export function reachesDatabase(policies: readonly Policy[], orgId: string, databaseDrn: string): boolean {
  const database = databaseDrn.split(':');
  return policies.some(
    (policy) =>
      policy.effect === 'allow' &&
      policy.actions.some((action) => action.startsWith('db-')) &&
      policy.resources.some((pattern) => {
        const segments = pattern.replaceAll(ORG_PLACEHOLDER, orgId).split(':');
        return (
          segments.length >= database.length &&
          database.every((segment, i) => segments[i] === '*' || segments[i] === segment)
        );
      }),
  );
}
