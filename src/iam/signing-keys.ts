import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Sealer } from '../security/sealer.js';
import type { Database } from '../store/schema.js';

const ALG = 'ES256';
const ISSUER = 'orrery';
/** Lifetime of a service-account JWT; a rotated-out key verifies for this long after rotation. */
export const JWT_LIFETIME_SECONDS = 3600;

interface KeyRow {
  kid: string;
  publicJwk: JWK;
  createdAt: string;
  retiredAt: string | null;
}

/**
 * The keys that sign service-account JWTs. They live in the store, so every server process signs and
 * verifies alike, and they rotate: the newest active key signs, retired keys verify until the JWTs
 * they signed have expired.
 */
export class SigningKeys {
  #verifyKeys = new Map<string, CryptoKey | Uint8Array>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
    private readonly clock: Clock,
  ) {}

  async sign(subject: string, orgId: string): Promise<string> {
    const row = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const { kid, sealed } = row ? { kid: row.kid, sealed: row.sealed_private_jwk } : await this.rotate();
    const privateKey = await importJWK(JSON.parse(this.sealer.open(sealed)) as JWK, ALG);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ org: orgId })
      .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + JWT_LIFETIME_SECONDS)
      .setJti(randomUUID())
      .sign(privateKey);
  }

  /** Verifies signature, algorithm, issuer and expiry; returns the claims or undefined. */
  async verify(jwt: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(jwt, async (header) => this.#keyFor(header.kid), {
        algorithms: [ALG],
        issuer: ISSUER,
        currentDate: this.clock.now(),
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  /** Makes a new signing key and retires the others. */
  async rotate(): Promise<{ kid: string; sealed: string }> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    const sealed = this.sealer.seal(JSON.stringify(await exportJWK(privateKey)));
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
      await trx
        .insertInto('signing_keys')
        .values({
          kid,
          public_jwk: JSON.stringify(publicJwk),
          sealed_private_jwk: sealed,
          created_at: now,
          retired_at: null,
        })
        .execute();
    });
    return { kid, sealed };
  }

  /** The public keys that still verify, for /.well-known/jwks.json. */
  async publicKeys(): Promise<JWK[]> {
    return (await this.#liveKeys()).map((k) => k.publicJwk);
  }

  async #liveKeys(): Promise<KeyRow[]> {
    const oldest = new Date(this.clock.now().getTime() - JWT_LIFETIME_SECONDS * 1000).toISOString();
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', oldest)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      kid: r.kid,
      publicJwk: JSON.parse(r.public_jwk) as JWK,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  async #keyFor(kid: string | undefined): Promise<CryptoKey | Uint8Array> {
    if (!kid) throw new Error('JWT has no key id');
    // Checked on every verification, so a key retired by another process stops verifying here too.
    const live = await this.#liveKeys();
    const row = live.find((k) => k.kid === kid);
    if (!row) throw new Error('unknown or retired key');
    let key = this.#verifyKeys.get(kid);
    if (!key) {
      key = await importJWK(row.publicJwk, ALG);
      this.#verifyKeys.set(kid, key);
    }
    return key;
  }
}
