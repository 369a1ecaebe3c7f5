import { describe, expect, it } from 'vitest';
import { drnMatches, isAllowed, orgDrn, reachesDatabase, type Policy } from '../../src/kernel/policy.js';

// Every expected answer below is written by hand from the rule "same number of segments, each equal or `*`;
// the action named; `__ORG_ID__` read as the caller's organization". Nothing is computed by the code under test.

const ORG = 'drn:astra:org:o1';
const allow = (resources: string[], actions: string[]): Policy => ({
  description: '',
  effect: 'allow',
  resources,
  actions,
});

describe('drnMatches truth table', () => {
  const table: [pattern: string, resource: string, matches: boolean][] = [
    // exact
    [ORG, ORG, true],
    [`${ORG}:db:abc`, `${ORG}:db:abc`, true],
    [`${ORG}:db:abc:keyspace:ks`, `${ORG}:db:abc:keyspace:ks`, true],
    [`${ORG}:db:abc:keyspace:ks:table:t`, `${ORG}:db:abc:keyspace:ks:table:t`, true],
    // a different organization, database, keyspace or table
    ['drn:astra:org:o2', ORG, false],
    [`${ORG}:db:abd`, `${ORG}:db:abc`, false],
    [`${ORG}:db:abc:keyspace:other`, `${ORG}:db:abc:keyspace:ks`, false],
    [`${ORG}:db:abc:keyspace:ks:table:u`, `${ORG}:db:abc:keyspace:ks:table:t`, false],
    // prefixes never match, in either direction
    [`${ORG}:db:abc`, `${ORG}:db:abcd`, false],
    [`${ORG}:db:abcd`, `${ORG}:db:abc`, false],
    ['drn:astra:org:o', ORG, false],
    ['drn:astra:org:o1', 'drn:astra:org:o12', false],
    [`${ORG}:db:abc:keyspace:k`, `${ORG}:db:abc:keyspace:ks`, false],
    [`${ORG}:db:abc:keyspace:ks:table:t`, `${ORG}:db:abc:keyspace:ks:table:tt`, false],
    // `*` at each level covers exactly one segment of that level
    ['drn:astra:org:*', ORG, true],
    ['drn:astra:org:*', 'drn:astra:org:anything', true],
    [`${ORG}:db:*`, `${ORG}:db:abc`, true],
    ['drn:astra:org:*:db:*', `${ORG}:db:abc`, true],
    [`${ORG}:db:*:keyspace:*`, `${ORG}:db:abc:keyspace:ks`, true],
    [`${ORG}:db:abc:keyspace:*`, `${ORG}:db:abc:keyspace:ks`, true],
    [`${ORG}:db:abc:keyspace:*`, `${ORG}:db:abd:keyspace:ks`, false],
    [`${ORG}:db:*:keyspace:ks`, `${ORG}:db:abd:keyspace:ks`, true],
    [`${ORG}:db:*:keyspace:ks`, `${ORG}:db:abd:keyspace:kt`, false],
    [`${ORG}:db:*:keyspace:*:table:*`, `${ORG}:db:abc:keyspace:ks:table:t`, true],
    [`${ORG}:db:abc:keyspace:ks:table:*`, `${ORG}:db:abc:keyspace:ks:table:t`, true],
    ['drn:astra:org:*:db:abc', 'drn:astra:org:o2:db:abc', true],
    ['drn:astra:org:*:db:abc', 'drn:astra:org:o2:db:abd', false],
    // `*` in the fixed words is still one segment
    ['drn:astra:*:o1', ORG, true],
    ['*:astra:org:o1', ORG, true],
    // a pattern never covers a deeper or a shallower resource
    [ORG, `${ORG}:db:abc`, false],
    ['drn:astra:org:*', `${ORG}:db:abc`, false],
    [`${ORG}:db:*`, `${ORG}:db:abc:keyspace:ks`, false],
    [`${ORG}:db:abc`, `${ORG}:db:abc:keyspace:ks`, false],
    [`${ORG}:db:*:keyspace:*`, `${ORG}:db:abc:keyspace:ks:table:t`, false],
    [`${ORG}:db:abc`, ORG, false],
    [`${ORG}:db:*:keyspace:*`, `${ORG}:db:abc`, false],
    // a literal `*` in the resource is not a wildcard for the pattern
    [`${ORG}:db:abc`, `${ORG}:db:*`, false],
    // case matters
    [`${ORG}:db:ABC`, `${ORG}:db:abc`, false],
    ['', '', true],
    ['', ORG, false],
  ];
  it.each(table)('%s against %s is %s', (pattern, resource, matches) => {
    expect(drnMatches(pattern, resource)).toBe(matches);
  });
});

describe('isAllowed truth table', () => {
  const databaseReader = allow([`${ORG}:db:abc`], ['org-db-view']);
  const keyspaceWriter = allow([`${ORG}:db:abc:keyspace:ks`], ['db-table-modify', 'db-cql']);
  const placeholder = allow(['drn:astra:org:__ORG_ID__', 'drn:astra:org:__ORG_ID__:db:*'], ['org-read', 'org-db-view']);
  const everywhere = allow(['drn:astra:org:*', 'drn:astra:org:*:db:*'], ['org-read']);
  const denyEffect = { description: '', effect: 'deny', resources: [ORG], actions: ['org-read'] } as unknown as Policy;
  const noActions = allow([ORG], []);
  const noResources = allow([], ['org-read']);

  const table: [
    label: string,
    policies: Policy[],
    orgId: string,
    action: string,
    resource: string,
    allowed: boolean,
  ][] = [
    ['no policy denies', [], 'o1', 'org-read', ORG, false],
    ['exact database, named action', [databaseReader], 'o1', 'org-db-view', `${ORG}:db:abc`, true],
    ['exact database, other action', [databaseReader], 'o1', 'org-db-terminate', `${ORG}:db:abc`, false],
    ['exact database, longer id', [databaseReader], 'o1', 'org-db-view', `${ORG}:db:abcd`, false],
    ['exact database, shorter id', [databaseReader], 'o1', 'org-db-view', `${ORG}:db:ab`, false],
    ['database grant, organization resource', [databaseReader], 'o1', 'org-db-view', ORG, false],
    ['database grant, keyspace inside it', [databaseReader], 'o1', 'org-db-view', `${ORG}:db:abc:keyspace:ks`, false],
    ['database grant, other organization', [databaseReader], 'o2', 'org-db-view', 'drn:astra:org:o2:db:abc', false],
    ['keyspace grant, its keyspace', [keyspaceWriter], 'o1', 'db-cql', `${ORG}:db:abc:keyspace:ks`, true],
    ['keyspace grant, other keyspace', [keyspaceWriter], 'o1', 'db-cql', `${ORG}:db:abc:keyspace:ks2`, false],
    ['keyspace grant, its database', [keyspaceWriter], 'o1', 'db-cql', `${ORG}:db:abc`, false],
    [
      'keyspace grant, a table in it',
      [keyspaceWriter],
      'o1',
      'db-table-modify',
      `${ORG}:db:abc:keyspace:ks:table:t`,
      false,
    ],
    ['placeholder is the caller organization', [placeholder], 'o1', 'org-read', ORG, true],
    ['placeholder, the caller reading another org', [placeholder], 'o1', 'org-read', 'drn:astra:org:o2', false],
    ['placeholder follows the caller', [placeholder], 'o2', 'org-read', 'drn:astra:org:o2', true],
    ['placeholder database level', [placeholder], 'o1', 'org-db-view', `${ORG}:db:anything`, true],
    ['placeholder, other org database', [placeholder], 'o2', 'org-db-view', `${ORG}:db:anything`, false],
    ['org * covers any org', [everywhere], 'o1', 'org-read', 'drn:astra:org:o9', true],
    ['org * with db *', [everywhere], 'o1', 'org-read', 'drn:astra:org:o9:db:x', true],
    ['org * not keyspaces', [everywhere], 'o1', 'org-read', 'drn:astra:org:o9:db:x:keyspace:k', false],
    ['actions are whole names, not prefixes', [allow([ORG], ['org-read'])], 'o1', 'org-rea', ORG, false],
    ['actions are not patterns', [allow([ORG], ['org-*'])], 'o1', 'org-read', ORG, false],
    ['action wildcard is not a thing', [allow([ORG], ['*'])], 'o1', 'org-read', ORG, false],
    ['only allow effects grant', [denyEffect], 'o1', 'org-read', ORG, false],
    ['a policy without actions grants nothing', [noActions], 'o1', 'org-read', ORG, false],
    ['a policy without resources grants nothing', [noResources], 'o1', 'org-read', ORG, false],
    [
      'the resource and the action must come from one policy',
      [databaseReader, allow([ORG], ['org-read'])],
      'o1',
      'org-read',
      `${ORG}:db:abc`,
      false,
    ],
    ['any policy may allow', [noActions, databaseReader], 'o1', 'org-db-view', `${ORG}:db:abc`, true],
    ['a deny effect does not hide an allow', [denyEffect, allow([ORG], ['org-read'])], 'o1', 'org-read', ORG, true],
    [
      'the second resource of a policy counts',
      [allow([`${ORG}:db:x`, `${ORG}:db:abc`], ['org-db-view'])],
      'o1',
      'org-db-view',
      `${ORG}:db:abc`,
      true,
    ],
    ['the second action of a policy counts', [allow([ORG], ['org-write', 'org-read'])], 'o1', 'org-read', ORG, true],
    [
      'every placeholder is replaced',
      [allow(['drn:astra:org:__ORG_ID__:db:__ORG_ID__'], ['org-db-view'])],
      'o1',
      'org-db-view',
      `${ORG}:db:o1`,
      true,
    ],
  ];
  it.each(table)('%s', (_label, policies, orgId, action, resource, allowed) => {
    expect(isAllowed(policies, orgId, action, resource)).toBe(allowed);
  });
});

describe('reachesDatabase truth table', () => {
  const db = `${ORG}:db:abc`;
  const table: [label: string, policies: Policy[], orgId: string, allowed: boolean][] = [
    ['no policy', [], 'o1', false],
    ['a data action on the database', [allow([db], ['db-cql'])], 'o1', true],
    ['a data action on a keyspace inside it', [allow([`${db}:keyspace:ks`], ['db-table-select'])], 'o1', true],
    ['a data action on a table inside it', [allow([`${db}:keyspace:ks:table:t`], ['db-table-select'])], 'o1', true],
    ['a data action on every database', [allow([`${ORG}:db:*`], ['db-cql'])], 'o1', true],
    ['a data action on every organization', [allow(['drn:astra:org:*:db:*'], ['db-cql'])], 'o1', true],
    ['placeholder for the caller organization', [allow(['drn:astra:org:__ORG_ID__:db:*'], ['db-cql'])], 'o1', true],
    ['placeholder in another organization', [allow(['drn:astra:org:__ORG_ID__:db:*'], ['db-cql'])], 'o2', false],
    ['only organization-level actions', [allow([db], ['org-db-view'])], 'o1', false],
    ['a data action on the organization only', [allow([ORG], ['db-cql'])], 'o1', false],
    ['a data action on a longer database id', [allow([`${db}d`], ['db-cql'])], 'o1', false],
    ['a data action on another database', [allow([`${ORG}:db:abd`], ['db-cql'])], 'o1', false],
    [
      'a deny effect',
      [{ description: '', effect: 'deny', resources: [db], actions: ['db-cql'] } as unknown as Policy],
      'o1',
      false,
    ],
    [
      'resource and action from different policies',
      [allow([db], ['org-db-view']), allow([ORG], ['db-cql'])],
      'o1',
      false,
    ],
    ['the second action counts', [allow([db], ['org-db-view', 'db-cql'])], 'o1', true],
    ['the second resource counts', [allow([ORG, db], ['db-cql'])], 'o1', true],
  ];
  it.each(table)('%s', (_label, policies, orgId, allowed) => {
    expect(reachesDatabase(policies, orgId, db)).toBe(allowed);
  });

  it('names the organization resource', () => {
    expect(orgDrn('o1')).toBe('drn:astra:org:o1');
  });
});
