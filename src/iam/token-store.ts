import type { Kysely } from 'kysely';
import type { Database, TokenTable } from '../store/schema.js';

export interface TokenRecord {
  clientId: string;
  orgId: string;
  secretHash: string;
  roleIds: string[];
  description: string | null;
  createdAt: string;
  expiresAt: string | null;
}

function toRecord(row: TokenTable): TokenRecord {
  return {
    clientId: row.client_id,
    orgId: row.org_id,
    secretHash: row.secret_hash,
    roleIds: JSON.parse(row.roles) as string[],
    description: row.description,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export class TokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: TokenRecord): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        client_id: token.clientId,
        org_id: token.orgId,
        secret_hash: token.secretHash,
        roles: JSON.stringify(token.roleIds),
        description: token.description,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  async find(clientId: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('tokens').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && toRecord(row);
  }

  async listByOrg(orgId: string): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom('tokens').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('client_id').execute();
    return rows.map(toRecord);
  }

  async delete(orgId: string, clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tokens').where('org_id', '=', orgId).where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
