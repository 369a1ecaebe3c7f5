import type { Policy } from './policy.js';

/** The authenticated caller of a request, with the policies of its roles resolved at authentication time. */
export interface Principal {
  /**
   * 'database-user': a classic database's own user, through an auth token made from its password.
   * 'user': an organization member signed in to the Portal; clientId is the user's id.
   */
  kind: 'token' | 'service-account' | 'database-user' | 'user';
  clientId: string;
  /** For an enterprise token, the enterprise's primary organization. */
  orgId: string;
  /** Set for enterprise tokens and the JWTs made from them. */
  enterpriseId?: string;
  roleIds: string[];
  policies: Policy[];
  /** When the credential stops working, if it ever does: nothing it mints may outlive it. */
  expiresAt?: string;
}

/** Who is acting and from where: what services need to decide and to audit. */
export interface Actor {
  principal: Principal;
  address: string;
}
