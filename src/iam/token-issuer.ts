import type { Clock } from '../clock.js';
import {
  type CredentialHasher,
  formatToken,
  generateClientId,
  generateSecret,
  secretDigest,
} from '../security/tokens.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { TokenStore, type TokenRecord } from './token-store.js';

export interface IssuedToken {
  record: TokenRecord;
  /** Shown once, in the response that creates the token; never stored. */
  secret: string | undefined;
  token: string;
}

export interface TokenRequest {
  orgId: string;
  /** Set to make an enterprise token (orgId is then the enterprise's primary organization). */
  enterpriseId?: string;
  roleIds: string[];
  description?: string | null;
  expiresAt?: string | null;
  /** An existing AstraCS token to register as is (the bootstrap token), instead of a fresh one. */
  presetToken?: { clientId: string; secretDigest: string };
}

/** Mints application tokens and stores only their keyed hash, on the connection or in the transaction given. */
export class TokenIssuer {
  constructor(
    private readonly hasher: CredentialHasher,
    private readonly clock: Clock,
  ) {}

  async issue(db: Kysely<Database>, request: TokenRequest): Promise<IssuedToken> {
    const secret = request.presetToken ? undefined : generateSecret();
    const clientId = request.presetToken?.clientId ?? generateClientId();
    const digest = request.presetToken?.secretDigest ?? secretDigest(secret!);
    const record: TokenRecord = {
      clientId,
      orgId: request.orgId,
      secretHash: this.hasher.hash(digest),
      roleIds: request.roleIds,
      description: request.description ?? null,
      createdAt: this.clock.now().toISOString(),
      expiresAt: request.expiresAt ?? null,
      enterpriseId: request.enterpriseId ?? null,
    };
    await new TokenStore(db).insert(record);
    return { record, secret, token: formatToken(clientId, digest) };
  }
}
