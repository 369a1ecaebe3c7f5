import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface SessionRecord {
  idHash: string;
  orgId: string;
  /** Exactly one of userId and clientId says who the session acts for. */
  userId: string | null;
  clientId: string | null;
  createdAt: string;
  lastSeenAt: string;
}

/** The Portal's tables: sessions, user passwords and invitation links. */
export class SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertSession(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto('portal_sessions')
      .values({
        id_hash: session.idHash,
        org_id: session.orgId,
        user_id: session.userId,
        client_id: session.clientId,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
      })
      .execute();
  }

  async findSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('portal_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return (
      row && {
        idHash: row.id_hash,
        orgId: row.org_id,
        userId: row.user_id,
        clientId: row.client_id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
      }
    );
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.db.updateTable('portal_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('portal_sessions').where('id_hash', '=', idHash).execute();
  }

  async passwordsFor(email: string): Promise<{ userId: string; orgId: string; passwordHash: string }[]> {
    const rows = await this.db.selectFrom('user_passwords').selectAll().where('email', '=', email).execute();
    return rows.map((r) => ({ userId: r.user_id, orgId: r.org_id, passwordHash: r.password_hash }));
  }

  async setPassword(userId: string, orgId: string, email: string, passwordHash: string, at: string): Promise<void> {
    await this.db.deleteFrom('user_passwords').where('user_id', '=', userId).execute();
    await this.db
      .insertInto('user_passwords')
      .values({ user_id: userId, org_id: orgId, email, password_hash: passwordHash, updated_at: at })
      .execute();
  }

  async insertInvitation(
    codeHash: string,
    orgId: string,
    userId: string,
    createdAt: string,
    expiresAt: string,
  ): Promise<void> {
    await this.db
      .insertInto('invitations')
      .values({ code_hash: codeHash, org_id: orgId, user_id: userId, created_at: createdAt, expires_at: expiresAt })
      .execute();
  }

  async findInvitation(codeHash: string): Promise<{ orgId: string; userId: string; expiresAt: string } | undefined> {
    const row = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return row && { orgId: row.org_id, userId: row.user_id, expiresAt: row.expires_at };
  }

  /** True when this call used the invitation up (so that two acceptances cannot both succeed). */
  async useInvitation(codeHash: string): Promise<boolean> {
    const result = await this.db.deleteFrom('invitations').where('code_hash', '=', codeHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
