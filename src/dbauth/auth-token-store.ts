import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface AuthTokenRecord {
  tokenHash: string;
  databaseId: string;
  orgId: string;
  /** The application token it was made from, or null. */
  clientId: string | null;
  /** The database user it was made from, or null. */
  dbUsername: string | null;
  createdAt: string;
  refreshedAt: string;
  expiresAt: string;
}

export class AuthTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: AuthTokenRecord): Promise<void> {
    await this.db
      .insertInto('data_auth_tokens')
      .values({
        token_hash: token.tokenHash,
        database_id: token.databaseId,
        org_id: token.orgId,
        client_id: token.clientId,
        db_username: token.dbUsername,
        created_at: token.createdAt,
        refreshed_at: token.refreshedAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  async find(tokenHash: string): Promise<AuthTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('data_auth_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return (
      row && {
        tokenHash: row.token_hash,
        databaseId: row.database_id,
        orgId: row.org_id,
        clientId: row.client_id,
        dbUsername: row.db_username,
        createdAt: row.created_at,
        refreshedAt: row.refreshed_at,
        expiresAt: row.expires_at,
      }
    );
  }

  /** Pushes the expiry out, unless the token has already expired (a purge may be racing). */
  async extend(tokenHash: string, refreshedAt: string, expiresAt: string): Promise<void> {
    await this.db
      .updateTable('data_auth_tokens')
      .set({ refreshed_at: refreshedAt, expires_at: expiresAt })
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', refreshedAt)
      .execute();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('data_auth_tokens').where('token_hash', '=', tokenHash).execute();
  }

  /** Deletes the tokens of databases being purged. */
  async deleteForDatabases(databaseIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('data_auth_tokens').where('database_id', 'in', databaseIds).execute();
  }

  /** Deletes every token expired by `now`; returns how many. */
  async purgeExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom('data_auth_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
