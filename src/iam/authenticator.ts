import type { Clock } from '../clock.js';
import { CredentialHasher, parseToken, secretDigest } from '../security/tokens.js';
import type { Principal } from './principal.js';
import type { RoleResolver } from './role-resolver.js';
import type { TokenStore } from './token-store.js';

/**
 * Checks every kind of credential in one place: a bearer `AstraCS:` token, and the legacy
 * clientId + secret pair (or username `token` with the token as password).
 */
export class Authenticator {
  constructor(
    private readonly tokens: TokenStore,
    private readonly roles: RoleResolver,
    private readonly hasher: CredentialHasher,
    private readonly clock: Clock,
  ) {}

  async fromAuthorizationHeader(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? this.fromToken(match[1]!) : undefined;
  }

  async fromToken(token: string): Promise<Principal | undefined> {
    const parsed = parseToken(token);
    return parsed && this.#verify(parsed.clientId, parsed.secretDigest);
  }

  /** The legacy username/password forms: clientId + secret, or `token` + an AstraCS token. */
  async fromUsernamePassword(username: string, password: string): Promise<Principal | undefined> {
    if (username === 'token') return this.fromToken(password);
    if (!/^[A-Za-z]{24}$/.test(username)) return undefined;
    return this.#verify(username, secretDigest(password));
  }

  async #verify(clientId: string, digest: string): Promise<Principal | undefined> {
    const record = await this.tokens.find(clientId);
    if (!record || !this.hasher.matches(digest, record.secretHash)) return undefined;
    if (record.expiresAt && Date.parse(record.expiresAt) <= this.clock.now().getTime()) return undefined;
    const roles = await this.roles.resolve(record.orgId, record.roleIds);
    return {
      kind: 'token',
      clientId: record.clientId,
      orgId: record.orgId,
      roleIds: record.roleIds,
      policies: roles.map((r) => r.policy),
    };
  }
}
