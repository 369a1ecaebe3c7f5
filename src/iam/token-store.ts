import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { jsonArrayHas } from '../store/json-arrays.js';
import type { Database, TokenTable } from '../store/schema.js';

export interface TokenRecord {
  clientId: string;
  orgId: string;
  secretHash: string;
  roleIds: string[];
  description: string | null;
  createdAt: string;
  expiresAt: string | null;
  /** Set for enterprise tokens; their orgId is the enterprise's primary organization. */
  enterpriseId: string | null;
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
    enterpriseId: row.enterprise_id,
  };
}

export type TokenScope = { orgId: string } | { enterpriseId: string };

function inScope(eb: ExpressionBuilder<Database, 'tokens'>, scope: TokenScope) {
  return 'enterpriseId' in scope
    ? eb('enterprise_id', '=', scope.enterpriseId)
    : eb.and([eb('org_id', '=', scope.orgId), eb('enterprise_id', 'is', null)]);
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
        enterprise_id: token.enterpriseId,
      })
      .execute();
  }

  async find(clientId: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('tokens').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && toRecord(row);
  }

  /** The organization's own tokens, or an enterprise's tokens: never the two mixed. */
  async list(scope: TokenScope): Promise<TokenRecord[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where((eb) => inScope(eb, scope))
      .orderBy('created_at')
      .orderBy('client_id')
      .execute();
    return rows.map(toRecord);
  }

  async findInScope(scope: TokenScope, clientId: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where((eb) => inScope(eb, scope))
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * Organization tokens (not enterprise ones) holding the role; with `liveAt`, only those not expired
   * then; never `exceptClientId`.
   */
  async countHoldingRole(
    orgId: string,
    roleId: string,
    { liveAt, exceptClientId = '' }: { liveAt?: string; exceptClientId?: string } = {},
  ): Promise<number> {
    const row = await this.db
      .selectFrom('tokens')
      .select(sql<number>`count(*)`.as('n'))
      .where((eb) => inScope(eb, { orgId }))
      .where(jsonArrayHas(this.db, 'tokens.roles', roleId))
      .$if(liveAt !== undefined, (query) =>
        query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', liveAt!)])),
      )
      .where('client_id', '!=', exceptClientId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(scope: TokenScope, clientId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('tokens')
      .where((eb) => inScope(eb, scope))
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes tokens that expired before `before`; returns how many. */
  async purgeExpired(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('tokens')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
