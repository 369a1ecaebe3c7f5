import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import { type CredentialHasher, parseToken, secretDigest } from '../security/tokens.js';
import type { Principal } from '../kernel/principal.js';
import type { RoleResolver } from './role-resolver.js';
import type { SigningKeys } from './signing-keys.js';
import type { TokenRecord, TokenStore } from './token-store.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface AuthenticatorDeps {
  tokens: TokenStore;
  roles: RoleResolver;
  signingKeys: SigningKeys;
  hasher: CredentialHasher;
  clock: Clock;
  cache: ReadCache;
}

/**
 * Checks every kind of credential in one place: a bearer `AstraCS:` token, a service-account JWT,
 * and the legacy clientId + secret pair (or username `token` with the token as password).
 * Each is looked up on every request, so revocation and expiry take effect at once.
 */
export class Authenticator {
  readonly #verified = new WeakMap<TokenRecord, Buffer>();

  constructor(private readonly deps: AuthenticatorDeps) {}

  async fromAuthorizationHeader(header: string | undefined): Promise<Principal | undefined> {
    const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? this.fromCredential(match[1]!) : undefined;
  }

  /** An `AstraCS:` token or a service-account JWT, told apart by their shape; undefined for anything else. */
  async fromCredential(credential: string): Promise<Principal | undefined> {
    if (credential.startsWith('AstraCS:')) return this.fromToken(credential);
    if (JWT_SHAPE.test(credential)) return this.fromJwt(credential);
    return undefined;
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

  /**
   * Service-account login: clientId and clientSecret are a token's pair, and clientName must be
   * the token's description (or its clientId when it has none).
   */
  async serviceAccount(clientName: string, clientId: string, clientSecret: string): Promise<Principal | undefined> {
    const principal = await this.fromUsernamePassword(clientId, clientSecret);
    if (!principal) return undefined;
    const record = await this.#record(clientId);
    const expectedName = record?.description || clientId;
    return clientName === expectedName ? principal : undefined;
  }

  /** The principal of an application token checked earlier (an auth token was made from it), while the token lives. */
  async stillValid(clientId: string): Promise<Principal | undefined> {
    const record = await this.#record(clientId);
    return record && !this.#expired(record) ? this.#principal(record, 'token') : undefined;
  }

  async fromJwt(jwt: string): Promise<Principal | undefined> {
    const claims = await this.deps.signingKeys.verify(jwt);
    if (!claims?.sub || typeof claims.org !== 'string') return undefined;
    const record = await this.#record(claims.sub);
    if (!record || record.orgId !== claims.org || this.#expired(record)) return undefined;
    return this.#principal(record, 'service-account');
  }

  async #verify(clientId: string, digest: string): Promise<Principal | undefined> {
    const record = await this.#record(clientId);
    if (!record || !this.#digestMatches(record, digest) || this.#expired(record)) return undefined;
    return this.#principal(record, 'token');
  }

  /**
   * The keyed-hash check, remembered per cached record: a record object lives only while the read
   * cache holds it (it is replaced when the token changes or is revoked), so a digest it has already
   * matched is compared directly, still in constant time, without recomputing the HMAC.
   */
  #digestMatches(record: TokenRecord, digest: string): boolean {
    const presented = Buffer.from(digest, 'hex');
    const known = this.#verified.get(record);
    if (known && known.length === presented.length && timingSafeEqual(known, presented)) return true;
    if (!this.deps.hasher.matches(digest, record.secretHash)) return false;
    this.#verified.set(record, presented);
    return true;
  }

  #record(clientId: string): Promise<TokenRecord | undefined> {
    return this.deps.cache.get(cacheKeys.token(clientId), () => this.deps.tokens.find(clientId));
  }

  #expired(record: TokenRecord): boolean {
    return record.expiresAt !== null && Date.parse(record.expiresAt) <= this.deps.clock.now().getTime();
  }

  async #principal(record: TokenRecord, kind: Principal['kind']): Promise<Principal> {
    const roles = record.enterpriseId
      ? this.deps.roles.resolveEnterprise(record.roleIds)
      : await this.deps.roles.resolve(record.orgId, record.roleIds);
    return {
      kind,
      clientId: record.clientId,
      orgId: record.orgId,
      ...(record.enterpriseId ? { enterpriseId: record.enterpriseId } : {}),
      roleIds: record.roleIds,
      policies: roles.map((r) => r.policy),
      ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
    };
  }
}
