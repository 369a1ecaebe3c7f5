/** Row shapes of every table, shared by both dialects. Times are RFC 3339 text in UTC. */
export interface Database {
  installation: InstallationTable;
  organizations: OrganizationTable;
  tokens: TokenTable;
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
}
