import type { Role } from '../kernel/policy.js';

/**
 * The built-in roles every organization has. Their IDs are the same in every organization and never
 * change; their resources name `__ORG_ID__`, which the permission decision reads as the caller's org.
 */
const ORG = 'drn:astra:org:__ORG_ID__';
const DATA_RESOURCES = [ORG, `${ORG}:db:*`, `${ORG}:db:*:keyspace:*`, `${ORG}:db:*:keyspace:*:table:*`];

const DATA_READ = [
  'db-all-keyspace-describe',
  'db-keyspace-describe',
  'db-table-select',
  'db-table-describe',
  'db-graphql',
  'db-rest',
  'db-cql',
];
const DATA_WRITE = [...DATA_READ, 'db-table-modify'];
const SCHEMA_ADMIN = [
  'db-all-keyspace-create',
  'db-keyspace-grant',
  'db-keyspace-modify',
  'db-keyspace-create',
  'db-keyspace-authorize',
  'db-keyspace-alter',
  'db-keyspace-drop',
  'db-table-grant',
  'db-table-create',
  'db-table-authorize',
  'db-table-alter',
  'db-table-drop',
];
const DB_OPERATIONS = [
  'org-db-create',
  'org-db-passwordreset',
  'org-db-terminate',
  'org-db-suspend',
  'org-db-addpeering',
  'org-db-readpeering',
  'org-db-managemigratorproxy',
  'org-db-expand',
  'org-db-view',
  'db-manage-privateendpoint',
  'db-manage-region',
  'db-manage-thirdpartymetrics',
  'db-manage-telemetry',
  'db-data-import',
];
/** Everything a classic database's own user may do inside its database. */
export const DATABASE_USER_ACTIONS = [...SCHEMA_ADMIN, ...DATA_WRITE];
/** Orrery's action for data gateways asking whether a request may proceed. */
export const GATEWAY_AUTHORIZE = 'org-gateway-authorize';
const USER_ADMIN = [
  'org-read',
  'org-billing-read',
  'org-billing-write',
  'org-cmk-read',
  'org-cmk-write',
  'org-user-read',
  'org-user-write',
];
// The enterprise actions make an organization's administrators the owners of its enterprise's tokens:
// those of the primary organization mint them, those of any member organization list and revoke them.
const ENTERPRISE_OWNER = ['enterprise-token-read', 'enterprise-token-write', 'enterprise-org-write'];
const ORG_ADMIN = [
  ...USER_ADMIN,
  ...ENTERPRISE_OWNER,
  'accesslist-read',
  'accesslist-write',
  'org-write',
  'org-audits-read',
  'org-role-read',
  'org-role-write',
  'org-role-delete',
  'org-external-auth-read',
  'org-external-auth-write',
  'org-notification-write',
  'org-token-read',
  'org-token-write',
  'org-integrations-read',
  'org-integrations-write',
  'org-stream-manage',
  GATEWAY_AUTHORIZE,
  ...DB_OPERATIONS,
  ...SCHEMA_ADMIN,
  ...DATA_WRITE,
];

function role(id: string, name: string, actions: string[], extraResources: string[] = []): Role {
  return {
    id,
    name,
    builtIn: true,
    policy: {
      description: name,
      effect: 'allow',
      resources: [...DATA_RESOURCES, ...extraResources],
      actions: [...new Set(actions)],
    },
  };
}

const ADMIN_USER = [...USER_ADMIN, ...DB_OPERATIONS, ...SCHEMA_ADMIN, ...DATA_WRITE];
const API_ADMIN = [
  'accesslist-read',
  'org-billing-read',
  'org-billing-write',
  'org-user-read',
  'org-user-write',
  'org-stream-manage',
  ...DB_OPERATIONS,
  ...SCHEMA_ADMIN,
  ...DATA_WRITE,
];

export const ORGANIZATION_ADMINISTRATOR_ID = 'ad0566b5-2a67-49de-89e8-92258c2f2c98';
export const DATA_GATEWAY_ID = '6f1d2c3b-8a4e-4b7f-9c0d-1e2f3a4b5c6d';

export const BUILTIN_ROLES: readonly Role[] = [
  role(ORGANIZATION_ADMINISTRATOR_ID, 'Organization Administrator', ORG_ADMIN, [`${ORG}:stream:*`, `${ORG}:role:*`]),
  role('d7e6d28b-0eaf-45a3-affe-f8c879350b4d', 'Database Administrator', [
    'org-read',
    'accesslist-read',
    'accesslist-write',
    'org-token-read',
    'org-token-write',
    ...DB_OPERATIONS,
    ...SCHEMA_ADMIN,
    ...DATA_WRITE,
  ]),
  role('02702a85-d86a-4917-b971-d8cb916af594', 'Billing Admin', ['org-read', 'org-billing-read', 'org-billing-write']),
  role('43745b73-ad46-46e4-b826-c15d06d2cea0', 'Admin User', ADMIN_USER),
  role('37b1cd53-7e2e-42dc-80e2-78120b5abd40', 'R/W User', [
    'org-read',
    'org-db-view',
    'accesslist-read',
    ...DATA_WRITE,
  ]),
  role('2cb32e78-4e8d-4f85-a152-4e4df2be1c28', 'RO User', ['org-read', 'org-db-view', 'accesslist-read', ...DATA_READ]),
  role('bcf8625e-fdca-4ff7-bbc6-79df873a7875', 'UI View Only', [
    'org-read',
    'org-db-view',
    'accesslist-read',
    'org-user-read',
    'org-role-read',
    'org-billing-read',
    'db-all-keyspace-describe',
    'db-keyspace-describe',
    'db-table-describe',
  ]),
  role('d1fe2509-9d14-4da7-b5a8-eb30708c3726', 'Admin Svc Acct', ADMIN_USER),
  role('b4ed0e9e-67e8-47b6-8b58-c6629be961a9', 'R/W Svc Acct', ['accesslist-read', ...DATA_WRITE]),
  role('16a4b1d7-a615-41f8-95ca-52b0280f4d77', 'RO Svc Acct', ['accesslist-read', ...DATA_READ]),
  role('67c4b5dc-dd3f-4b2d-be51-09be12836d57', 'API Admin User', API_ADMIN, [`${ORG}:stream:*`]),
  role('4aaab5fb-5586-43df-87e3-ff168fdd0539', 'API R/W User', ['accesslist-read', 'org-db-view', ...DATA_WRITE]),
  role('b28219a1-a7c6-4145-bc5a-6e0374b6cf48', 'API RO User', ['accesslist-read', 'org-db-view', ...DATA_READ]),
  role('3716da1b-74cf-4b25-a766-0e8ea9525771', 'API Admin Svc Acct', API_ADMIN, [`${ORG}:stream:*`]),
  role('eadaadbe-b2c9-460f-aa07-9bd75a0db61e', 'API R/W Svc Acct', ['accesslist-read', ...DATA_WRITE]),
  role('be9bfdcc-1e67-48e3-b0df-222fcade17fb', 'API RO Svc Acct', ['accesslist-read', ...DATA_READ]),
  // An Orrery role: for the credential a data gateway uses to ask for authorization decisions.
  role(DATA_GATEWAY_ID, 'Data Gateway', [GATEWAY_AUTHORIZE]),
];

const BY_ID = new Map(BUILTIN_ROLES.map((r) => [r.id, r]));

export function builtinRole(id: string): Role | undefined {
  return BY_ID.get(id);
}

/**
 * Enterprise roles, held by enterprise tokens only. Their org-level actions apply to the enterprise's
 * primary organization, where enterprise tokens live; what they mean there is decided by the services.
 */
export const ENTERPRISE_ADMINISTRATOR_ID = '5d1c0a4e-6f5b-4c1e-9a7d-3e2b8f0c4d61';
export const ENTERPRISE_ROLES: readonly Role[] = [
  {
    id: ENTERPRISE_ADMINISTRATOR_ID,
    name: 'Enterprise Administrator',
    builtIn: true,
    policy: {
      description: 'Enterprise Administrator',
      effect: 'allow',
      resources: [ORG],
      actions: [
        'enterprise-token-read',
        'enterprise-token-write',
        'enterprise-org-write',
        'org-token-read',
        'org-token-write',
        'org-role-read',
      ],
    },
  },
  {
    id: '8a3f2c71-0b9e-4d58-b6a4-1c7e9d2f5a30',
    name: 'Enterprise Read Only',
    builtIn: true,
    policy: {
      description: 'Enterprise Read Only',
      effect: 'allow',
      resources: [ORG],
      actions: ['enterprise-token-read', 'org-token-read', 'org-role-read'],
    },
  },
];

export function enterpriseRole(id: string): Role | undefined {
  return ENTERPRISE_ROLES.find((r) => r.id === id);
}
