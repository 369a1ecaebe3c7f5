import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, ENTERPRISE_ROLES } from '../../src/iam/builtin-roles.js';
import { call, addOrganization, createToken, startServer, type TestServer } from '../support/server.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_CLIENT = 'ABCDEFGHIJKLMNOPQRSTUVWX';

type Level = 'org' | 'db' | 'keyspace';

interface Probe {
  method: string;
  route: string;
  /** The level of the resource the route checks: the organization unless it names a database or keyspace. */
  level: Level;
  /** Lists that filter their answer need the action on some resource only. */
  filtered?: boolean;
  /** The action the route must demand; 'authenticated' and 'public' as declared. */
  action: string;
  path: (orgId: string) => string;
  /** Bodies are deliberately invalid or ids unknown, so an allowed call changes nothing (4xx but not 401/403). */
  body?: unknown;
}

const probe = (
  method: string,
  route: string,
  action: string,
  body?: unknown,
  path?: (orgId: string) => string,
): Probe => ({
  method,
  route,
  action,
  body,
  path:
    path ??
    (() =>
      route.replace(/:[A-Za-z]+/g, (p) =>
        p === ':clientId' ? UNKNOWN_CLIENT : p === ':keyspaceName' ? 'app' : UNKNOWN,
      )),
  level: 'org',
});
const onDb = (p: Probe): Probe => ({ ...p, level: 'db' });
const onKeyspace = (p: Probe): Probe => ({ ...p, level: 'keyspace' });

/** Every authenticated route, with the action the spec's scopes give it. */
const PROBES: Probe[] = [
  probe('GET', '/v2/currentOrg', 'authenticated'),
  probe('GET', '/v2/tokens', 'org-token-read'),
  probe('GET', '/v2/clientIdSecrets', 'org-token-read'),
  probe('POST', '/v2/tokens', 'org-token-write', { roles: [] }),
  probe('POST', '/v2/clientIdSecrets', 'org-token-write', { roles: [] }),
  probe('DELETE', '/v2/tokens/:clientId', 'org-token-write'),
  probe('GET', '/v2/organizations/enterprise-tokens', 'org-token-read'),
  probe('DELETE', '/v2/organizations/enterprise-tokens/:clientId', 'org-token-write'),
  probe('DELETE', '/v2/clientIdSecrets/:clientId', 'org-token-write'),
  probe('DELETE', '/v2/clientIdSecret/:clientId', 'org-token-write'),
  probe('GET', '/v2/organizations/roles', 'org-role-read'),
  probe('POST', '/v2/organizations/roles', 'org-role-write', {}),
  probe('GET', '/v2/organizations/roles/:roleID', 'org-role-read'),
  probe('PUT', '/v2/organizations/roles/:roleID', 'org-role-write', {}),
  probe('DELETE', '/v2/organizations/roles/:roleID', 'org-role-delete'),
  probe('GET', '/v2/organizations/users', 'org-user-read'),
  probe('PUT', '/v2/organizations/users', 'org-user-write', { roles: [] }),
  probe('GET', '/v2/organizations/users/:userID', 'org-user-read'),
  probe('DELETE', '/v2/organizations/users/:userID', 'org-user-write'),
  probe('PUT', '/v2/organizations/users/:userID/roles', 'org-user-write', {}),
  probe(
    'GET',
    '/v2/organizations/:orgId/devops-acl',
    'accesslist-read',
    undefined,
    (org) => `/v2/organizations/${org}/devops-acl`,
  ),
  probe(
    'POST',
    '/v2/organizations/:orgId/devops-acl',
    'org-write',
    [{ address: 'nowhere' }],
    (org) => `/v2/organizations/${org}/devops-acl`,
  ),
  probe(
    'PUT',
    '/v2/organizations/:orgId/devops-acl',
    'org-write',
    [{ address: 'nowhere' }],
    (org) => `/v2/organizations/${org}/devops-acl`,
  ),
  probe('GET', '/v2/organizations/audit-events', 'org-audits-read'),
  probe('POST', '/v2/enterprises/organizations', 'enterprise-org-write', {}),
  probe('GET', '/v2/enterprises/organizations', 'enterprise-token-read'),
  probe('GET', '/v2/regions/serverless', 'org-db-create'),
  probe('GET', '/v2/availableRegions', 'org-db-create'),
  probe('POST', '/v2/databases', 'org-db-create', {}),
  { ...probe('GET', '/v2/databases', 'org-db-view'), filtered: true },
  onDb(probe('GET', '/v2/databases/:databaseId', 'org-db-view')),
  onDb(probe('GET', '/v2/databases/:databaseId/datacenters', 'org-db-view')),
  onDb(probe('POST', '/v2/databases/:databaseId/datacenters', 'db-manage-region', [])),
  onDb(probe('POST', '/v2/databases/:databaseId/datacenters/:datacenterId/terminate', 'db-manage-region')),
  onDb(probe('POST', '/v2/databases/:databaseId/resetPassword', 'org-db-passwordreset', {})),
  { ...probe('GET', '/v2/access-lists', 'accesslist-read'), filtered: true },
  onDb(probe('GET', '/v2/databases/:databaseId/access-list', 'accesslist-read')),
  onDb(probe('POST', '/v2/databases/:databaseId/access-list', 'accesslist-write', [])),
  onDb(probe('PUT', '/v2/databases/:databaseId/access-list', 'accesslist-write', {})),
  onDb(probe('PATCH', '/v2/databases/:databaseId/access-list', 'accesslist-write', {})),
  onDb(probe('DELETE', '/v2/databases/:databaseId/access-list', 'accesslist-write')),
  probe('POST', '/v2/access-list/validate', 'authenticated', {}),
  probe('GET', '/v2/access-list/template', 'authenticated'),
  probe('POST', '/v2/data-gateway/authorize', 'org-gateway-authorize', {}),
  onDb(probe('POST', '/v2/databases/:databaseId/secureBundleURL', 'db-cql')),
  onDb(probe('GET', '/v2/databases/:databaseId/telemetry/metrics', 'db-manage-telemetry')),
  onDb(probe('POST', '/v2/databases/:databaseId/telemetry/metrics', 'db-manage-telemetry', {})),
  onDb(probe('POST', '/v2/databases/:databaseId/third-party-metrics', 'db-manage-thirdpartymetrics', {})),
  onDb(probe('PUT', '/v2/databases/:databaseId/migrationProxy', 'org-db-managemigratorproxy', {})),
  onDb(probe('DELETE', '/v2/databases/:databaseId/migrationProxy', 'org-db-managemigratorproxy')),
  probe('GET', '/v2/organizations/customDomains', 'org-read'),
  probe('POST', '/v2/organizations/customDomains', 'org-write', ['not a domain']),
  probe('POST', '/v2/kms', 'org-cmk-write', {}),
  probe('GET', '/v2/kms', 'org-cmk-read'),
  probe('GET', '/v2/kms/provider/:provider/region/:region', 'org-cmk-read'),
  probe('GET', '/v2/kms/provider/:provider/region/:region/accounts', 'org-cmk-read'),
  { ...probe('GET', '/v2/organizations/private-link', 'db-manage-privateendpoint'), filtered: true },
  onDb(probe('GET', '/v2/organizations/clusters/:clusterID/private-link', 'db-manage-privateendpoint')),
  onDb(
    probe(
      'GET',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/private-link',
      'db-manage-privateendpoint',
    ),
  ),
  onDb(
    probe(
      'POST',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/private-link',
      'db-manage-privateendpoint',
      {},
    ),
  ),
  onDb(
    probe(
      'POST',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/allowed-principals',
      'db-manage-privateendpoint',
      {},
    ),
  ),
  onDb(
    probe(
      'DELETE',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/allowed-principals',
      'db-manage-privateendpoint',
      {},
    ),
  ),
  onDb(
    probe(
      'POST',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/endpoints',
      'db-manage-privateendpoint',
      {},
    ),
  ),
  onDb(
    probe(
      'GET',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/endpoints/:endpointID',
      'db-manage-privateendpoint',
    ),
  ),
  onDb(
    probe(
      'PUT',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/endpoints/:endpointID',
      'db-manage-privateendpoint',
      {},
    ),
  ),
  onDb(
    probe(
      'DELETE',
      '/v2/organizations/clusters/:clusterID/datacenters/:datacenterID/endpoints/:endpointID',
      'db-manage-privateendpoint',
    ),
  ),
  probe('POST', '/v2/pcus/actions/get', 'org-db-view', { pcuGroupUUIDs: [UNKNOWN] }),
  probe('GET', '/v2/pcus/types', 'org-db-create'),
  probe('POST', '/v2/access-list/template', 'authenticated'),
  onDb(probe('POST', '/v2/databases/:databaseId/terminate', 'org-db-terminate')),
  onDb(probe('POST', '/v2/databases/:databaseId/park', 'org-db-suspend')),
  onDb(probe('POST', '/v2/databases/:databaseId/unpark', 'org-db-suspend')),
  onDb(probe('POST', '/v2/databases/:databaseId/resize', 'org-db-expand', {})),
  onKeyspace(probe('POST', '/v2/databases/:databaseId/keyspaces/:keyspaceName', 'db-keyspace-create')),
  onKeyspace(probe('DELETE', '/v2/databases/:databaseId/keyspaces/:keyspaceName', 'db-keyspace-drop')),
  onDb(probe('GET', '/v2/databases/:databaseId/traffic', 'org-db-view')),
  // Each Data API command is then decided on its own DRN (test/portal/data-explorer.test.ts).
  probe('POST', '/v2/databases/:databaseId/data-api', 'authenticated', {}),
  probe('GET', '/auth/session', 'authenticated'),
  probe('POST', '/auth/invitations', 'org-user-write', {}),
];

const PUBLIC_ROUTES = [
  '/health',
  '/ready',
  '/openapi.json',
  '/v2/authenticateServiceAccount',
  '/.well-known/jwks.json',
  // The per-database auth API takes its credentials in the body.
  '/data/:endpoint/api/rest/v1/auth',
  '/data/:endpoint/api/rest/v1/auth/token/generate',
  // A signed link is its own credential.
  '/bundles/:datacenterId/:file',
  // The Portal's pages and files, and its sign-in (the credentials are in the body, or a one-time link).
  '/',
  '/*',
  '/auth/sign-in',
  '/auth/sign-out',
  '/auth/invitations/:code',
  '/auth/invitations/:code/accept',
  // The Data API authorizes each command on its own DRN (test/data-api/data-api-security.test.ts).
  ...['api/json/v1', 'v1'].flatMap((root) =>
    ['', '/:keyspace', '/:keyspace/:collection'].map((level) => `/data/:endpoint/${root}${level}`),
  ),
];

/**
 * Who may do what, written by hand from the role definitions: for each action a route demands, the roles
 * that hold it. Built-in roles name every level (organization, databases, keyspaces, tables) of the
 * caller's organization; enterprise roles name the organization only.
 */
const ROLE_CODES: Record<string, string> = {
  OA: 'Organization Administrator',
  DA: 'Database Administrator',
  BA: 'Billing Admin',
  AU: 'Admin User',
  RW: 'R/W User',
  RO: 'RO User',
  UV: 'UI View Only',
  AS: 'Admin Svc Acct',
  RWS: 'R/W Svc Acct',
  ROS: 'RO Svc Acct',
  AAU: 'API Admin User',
  ARW: 'API R/W User',
  ARO: 'API RO User',
  AAS: 'API Admin Svc Acct',
  ARWS: 'API R/W Svc Acct',
  AROS: 'API RO Svc Acct',
  GW: 'Data Gateway',
  EA: 'Enterprise Administrator',
  ER: 'Enterprise Read Only',
};
const DB_ADMINS = 'OA DA AU AS AAU AAS';
const GRANTED_TO: Record<string, string> = {
  'org-read': 'OA DA BA AU AS RW RO UV',
  'org-write': 'OA',
  'org-token-read': 'OA DA EA ER',
  'org-token-write': 'OA DA EA',
  'org-role-read': 'OA UV EA ER',
  'org-role-write': 'OA',
  'org-role-delete': 'OA',
  'org-user-read': 'OA AU AS UV AAU AAS',
  'org-user-write': 'OA AU AS AAU AAS',
  'org-audits-read': 'OA',
  'org-cmk-read': 'OA AU AS',
  'org-cmk-write': 'OA AU AS',
  'org-gateway-authorize': 'OA GW',
  // Organization Administrators of the enterprise's organizations own it too (src/iam/builtin-roles.ts).
  'enterprise-org-write': 'OA EA',
  'enterprise-token-read': 'OA EA ER',
  'accesslist-read': 'OA DA RW RO UV RWS ROS AAU ARW ARO AAS ARWS AROS',
  'accesslist-write': 'OA DA',
  'org-db-view': `${DB_ADMINS} RW RO UV ARW ARO`,
  'db-cql': `${DB_ADMINS} RW RO RWS ROS ARW ARO ARWS AROS`,
  'org-db-create': DB_ADMINS,
  'org-db-passwordreset': DB_ADMINS,
  'org-db-terminate': DB_ADMINS,
  'org-db-suspend': DB_ADMINS,
  'org-db-expand': DB_ADMINS,
  'org-db-managemigratorproxy': DB_ADMINS,
  'db-manage-region': DB_ADMINS,
  'db-manage-telemetry': DB_ADMINS,
  'db-manage-thirdpartymetrics': DB_ADMINS,
  'db-manage-privateendpoint': DB_ADMINS,
  'db-keyspace-create': DB_ADMINS,
  'db-keyspace-drop': DB_ADMINS,
};

/** Routes that also require the built-in Organization Administrator role itself; their own tests cover who gets in. */
const ADMINISTRATOR_ROUTES = ['/metrics'];

interface Subject {
  label: string;
  token: string;
  /** Whether the subject may do the action at all, from the table above. */
  holds: (action: string) => boolean;
  /** The levels its grants name. */
  levels: Level[];
}

describe('permission matrix', () => {
  let server: TestServer;
  const subjects: Subject[] = [];
  // Organization actions only: an organization's administrator cannot grant enterprise ones.
  const ALL_ACTIONS = Object.keys(GRANTED_TO).filter((a) => !a.startsWith('enterprise-'));

  beforeAll(async () => {
    server = await startServer();
    const codeOf = new Map(Object.entries(ROLE_CODES).map(([code, name]) => [name, code]));
    for (const role of [...BUILTIN_ROLES, ...ENTERPRISE_ROLES]) {
      const code = codeOf.get(role.name);
      expect(code, `${role.name} is missing from the table`).toBeDefined();
      const { token } = await createToken(server, [role.id]);
      const holds = (action: string) => (GRANTED_TO[action] ?? '').split(' ').includes(code!);
      const levels: Level[] = role.name.startsWith('Enterprise') ? ['org'] : ['org', 'db', 'keyspace'];
      subjects.push({ label: role.name, token, holds, levels });
    }
    const org = `drn:astra:org:${server.orgId}`;
    const scopes: [string, string[], Level[]][] = [
      [
        'custom role on *',
        [`drn:astra:org:*`, `drn:astra:org:*:db:*`, `drn:astra:org:*:db:*:keyspace:*`],
        ['org', 'db', 'keyspace'],
      ],
      ['custom role on one database', [`${org}:db:${UNKNOWN}`], ['db']],
      ['custom role on one keyspace', [`${org}:db:${UNKNOWN}:keyspace:app`], ['keyspace']],
    ];
    for (const [label, resources, levels] of scopes) {
      const role = await call(server, 'POST', '/v2/organizations/roles', {
        token: server.adminToken,
        body: { name: label, policy: { description: label, effect: 'allow', resources, actions: ALL_ACTIONS } },
      });
      expect(role.status).toBe(201);
      const { token } = await createToken(server, [role.body.ID]);
      subjects.push({ label, token, holds: (action) => ALL_ACTIONS.includes(action), levels });
    }
  });
  afterAll(() => server.close());

  it('covers every route the server has', () => {
    const probed = new Set(PROBES.map((p) => `${p.method} ${p.route}`));
    for (const route of server.app.routes) {
      if (route.method === 'HEAD') continue;
      if (ADMINISTRATOR_ROUTES.includes(route.url)) {
        expect(route.permission, route.url).toBe('org-write');
        continue;
      }
      if (route.url.startsWith('/docs') || PUBLIC_ROUTES.includes(route.url)) {
        expect(route.permission, route.url).toBe('public');
        continue;
      }
      expect(probed, `${route.method} ${route.url} is missing from the matrix`).toContain(
        `${route.method} ${route.url}`,
      );
      const declared = PROBES.find((p) => p.method === route.method && p.route === route.url)!;
      expect(route.permission, `${route.method} ${route.url}`).toBe(declared.action);
    }
  });

  // About 1 700 requests: on PostgreSQL on a busy machine this takes longer than the default minute.
  it('allows or denies each route for each built-in, enterprise and custom role', async () => {
    const untabled = PROBES.filter((p) => p.action !== 'authenticated' && !(p.action in GRANTED_TO)).map(
      (p) => p.action,
    );
    expect(untabled).toEqual([]);
    const mismatches: string[] = [];
    for (const subject of subjects) {
      for (const p of PROBES) {
        const response = await call(server, p.method, p.path(server.orgId), { token: subject.token, body: p.body });
        const expectAllowed =
          p.action === 'authenticated' || (subject.holds(p.action) && (p.filtered || subject.levels.includes(p.level)));
        const allowed = response.status !== 401 && response.status !== 403;
        if (allowed !== expectAllowed || response.status >= 500)
          mismatches.push(`${subject.label}: ${p.method} ${p.route} -> ${response.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 240_000);

  it('lets nothing cross organizations', async () => {
    const other = await addOrganization(server, 'Other');
    const tokenA = await createToken(server, [BUILTIN_ROLES[4]!.id], { description: 'org A only' });
    const roleA = await call(server, 'POST', '/v2/organizations/roles', {
      token: server.adminToken,
      body: {
        name: 'A role',
        policy: { description: '', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-read'] },
      },
    });
    const userA = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'a-only@example.com', roles: [BUILTIN_ROLES[4]!.id] },
    });
    const asB = { token: other.token };

    expect((await call(server, 'GET', '/v2/currentOrg', asB)).body.id).toBe(other.orgId);
    const tokensB = await call(server, 'GET', '/v2/tokens', asB);
    expect(tokensB.text).not.toContain(tokenA.clientId);
    expect(tokensB.body.clients).toHaveLength(1);
    expect((await call(server, 'DELETE', `/v2/tokens/${tokenA.clientId}`, asB)).status).toBe(404);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: tokenA.token })).status).toBe(200);

    expect((await call(server, 'GET', '/v2/organizations/roles', asB)).text).not.toContain(roleA.body.ID);
    expect((await call(server, 'GET', `/v2/organizations/roles/${roleA.body.ID}`, asB)).status).toBe(404);
    expect(
      (
        await call(server, 'PUT', `/v2/organizations/roles/${roleA.body.ID}`, {
          ...asB,
          body: { name: 'hijack', policy: roleA.body.Policy },
        })
      ).status,
    ).toBe(404);
    expect((await call(server, 'DELETE', `/v2/organizations/roles/${roleA.body.ID}`, asB)).status).toBe(404);
    expect((await call(server, 'POST', '/v2/tokens', { ...asB, body: { roles: [roleA.body.ID] } })).status).toBe(400);

    expect((await call(server, 'GET', '/v2/organizations/users', asB)).body.Users).toEqual([]);
    expect((await call(server, 'GET', `/v2/organizations/users/${userA.body.UserID}`, asB)).status).toBe(404);
    expect((await call(server, 'DELETE', `/v2/organizations/users/${userA.body.UserID}`, asB)).status).toBe(404);
    expect((await call(server, 'GET', `/v2/organizations/${server.orgId}/devops-acl`, asB)).status).toBe(404);
    expect(
      (
        await call(server, 'POST', `/v2/organizations/${server.orgId}/devops-acl`, {
          ...asB,
          body: [{ address: '10.0.0.1' }],
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(server, 'GET', `/v2/organizations/${server.orgId}/devops-acl`, { token: server.adminToken })).body
        .enabled,
    ).toBe(false);

    const auditB = await call(server, 'GET', '/v2/organizations/audit-events', asB);
    expect(auditB.text).not.toContain(tokenA.clientId);
  });
});
