import type { Generated } from 'kysely';

/** Row shapes of every table, shared by both dialects. Times are RFC 3339 text in UTC. */
export interface Database {
  installation: InstallationTable;
  organizations: OrganizationTable;
  tokens: TokenTable;
  roles: RoleTable;
  users: UserTable;
  devops_acl_entries: DevopsAclEntryTable;
  signing_keys: SigningKeyTable;
  audit_events: AuditEventTable;
  enterprises: EnterpriseTable;
  databases: DatabaseTable;
  lifecycle_jobs: LifecycleJobTable;
  datacenters: DatacenterTable;
  database_users: DatabaseUserTable;
  database_access_lists: DatabaseAccessListTable;
  database_access_list_entries: DatabaseAccessListEntryTable;
  data_auth_tokens: DataAuthTokenTable;
  database_authorities: DatabaseAuthorityTable;
  settings: SettingTable;
  failure_counts: FailureCountTable;
  server_key_check: ServerKeyCheckTable;
  emulator_snapshots: EmulatorSnapshotTable;
  portal_sessions: PortalSessionTable;
  user_passwords: UserPasswordTable;
  invitations: InvitationTable;
  traffic_minutes: TrafficMinuteTable;
}

export interface ServerKeyCheckTable {
  id: number;
  /** HMAC of a fixed text under the server key. */
  check_value: string;
  created_at: string;
  /** Last write of /ready's probe after a failed write. */
  probed_at: string | null;
}

export interface InstallationTable {
  id: number;
  org_id: string;
  created_at: string;
}

export interface OrganizationTable {
  id: string;
  name: string;
  created_at: string;
  devops_acl_enabled: Generated<number>;
  enterprise_id: string | null;
  email: string | null;
}

export interface TokenTable {
  client_id: string;
  org_id: string;
  /** HMAC of the SHA-256 of the secret: checks both the bearer token and the clientId/secret pair. */
  secret_hash: string;
  /** JSON array of role IDs. */
  roles: string;
  description: string | null;
  created_at: string;
  expires_at: string | null;
  /** Set for enterprise tokens, whose org_id is the enterprise's primary organization. */
  enterprise_id: string | null;
}

export interface RoleTable {
  id: string;
  org_id: string;
  name: string;
  /** JSON policy: description, effect, resources, actions. */
  policy: string;
  updated_at: string;
  updated_by: string;
}

export interface UserTable {
  id: string;
  org_id: string;
  email: string;
  status: string;
  roles: string;
  created_at: string;
  updated_at: string;
}

export interface DevopsAclEntryTable {
  org_id: string;
  address: string;
  description: string;
  enabled: number;
  updated_at: string;
}

export interface SigningKeyTable {
  kid: string;
  public_jwk: string;
  sealed_private_jwk: string;
  created_at: string;
  retired_at: string | null;
}

export interface AuditEventTable {
  id: string;
  org_id: string;
  at: string;
  actor: string;
  action: string;
  resource: string;
  address: string;
  result: string;
  /** JSON object; never holds a secret. */
  details: string;
  /** How many identical denials this event stands for (1 for everything else). */
  occurrences: Generated<number>;
  /** Time of the last of them, when more than one. */
  last_at: string | null;
  /** Identifies identical denials; null for other events. */
  fingerprint: string | null;
}

export interface EnterpriseTable {
  id: string;
  name: string;
  primary_org_id: string;
  created_at: string;
}

export interface DatabaseTable {
  id: string;
  org_id: string;
  owner_id: string;
  name: string;
  status: string;
  cloud_provider: string;
  region: string;
  tier: string;
  capacity_units: number;
  db_type: string | null;
  keyspace: string;
  keyspaces: string;
  message: string | null;
  created_at: string;
  updated_at: string;
  terminated_at: string | null;
}

export interface LifecycleJobTable {
  id: string;
  database_id: string;
  step: string;
  /** The status the database must still have for the step to apply; guards against running it twice. */
  from_status: string;
  run_at: string;
  claimed_by: string | null;
  claimed_until: string | null;
  /** JSON: what the step needs (e.g. the keyspace to add). */
  payload: string;
}

export interface DatacenterTable {
  id: string;
  database_id: string;
  ordinal: number;
  tier: string;
  cloud_provider: string;
  region: string;
  capacity_units: number;
  /** PENDING while being added, ACTIVE, TERMINATING, TERMINATED. */
  status: string;
  created_at: string;
  terminated_at: string | null;
}

export interface DatabaseUserTable {
  database_id: string;
  username: string;
  /** Keyed hash of the password; the password itself is never stored. */
  password_hash: string;
  updated_at: string;
}

export interface DatabaseAccessListTable {
  database_id: string;
  org_id: string;
  enabled: number;
  updated_at: string;
}

export interface DatabaseAccessListEntryTable {
  database_id: string;
  /** Canonical address or CIDR range. */
  address: string;
  description: string;
  enabled: number;
  updated_at: string;
}

export interface DataAuthTokenTable {
  token_hash: string;
  database_id: string;
  org_id: string;
  client_id: string | null;
  db_username: string | null;
  created_at: string;
  /** When the expiry was last pushed out; it is written at most once a minute per token. */
  refreshed_at: string;
  expires_at: string;
}

export interface DatabaseAuthorityTable {
  database_id: string;
  certificate: string;
  sealed_key: string;
  created_at: string;
}

export interface SettingTable {
  /** The database, datacenter or organization the setting belongs to. */
  scope: string;
  kind: string;
  org_id: string;
  /** JSON document; secrets in it are sealed. */
  value: string;
  updated_at: string;
}

export interface FailureCountTable {
  /** SHA-256 of what is counted (e.g. an address, or a database, username and address). */
  key: string;
  /** The fixed window: milliseconds since the epoch divided by the window's length. */
  window_index: number;
  failures: number;
  /** When the row no longer matters and may be purged. */
  expires_at: string;
}

export interface EmulatorSnapshotTable {
  name: string;
  created_at: string;
  /** JSON: every other table's rows, by table name. */
  content: string;
}

export interface PortalSessionTable {
  id_hash: string;
  org_id: string;
  user_id: string | null;
  client_id: string | null;
  created_at: string;
  last_seen_at: string;
}

export interface UserPasswordTable {
  user_id: string;
  org_id: string;
  email: string;
  password_hash: string;
  updated_at: string;
}

export interface InvitationTable {
  code_hash: string;
  org_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface TrafficMinuteTable {
  database_id: string;
  /** Start of the minute, RFC 3339. */
  minute: string;
  /** The Orrery process that measured it (a random id per start). */
  process_id: string;
  requests: number;
  errors: number;
  /** JSON: {"<latency bucket index>": count}. */
  latency_counts: string;
}
