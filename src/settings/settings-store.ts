import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface Setting<T> {
  scope: string;
  value: T;
  updatedAt: string;
}

/** JSON configuration documents by scope (a database, datacenter or organization) and kind. */
export class SettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get<T>(scope: string, kind: string): Promise<Setting<T> | undefined> {
    const row = await this.db
      .selectFrom('settings')
      .select(['scope', 'value', 'updated_at'])
      .where('scope', '=', scope)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row && { scope: row.scope, value: JSON.parse(row.value) as T, updatedAt: row.updated_at };
  }

  /** Every setting of a kind in an organization, ordered by scope. */
  async list<T>(orgId: string, kind: string): Promise<Setting<T>[]> {
    const rows = await this.db
      .selectFrom('settings')
      .select(['scope', 'value', 'updated_at'])
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .orderBy('scope')
      .execute();
    return rows.map((row) => ({ scope: row.scope, value: JSON.parse(row.value) as T, updatedAt: row.updated_at }));
  }

  async put(orgId: string, scope: string, kind: string, value: unknown, at: string): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ scope, kind, org_id: orgId, value: json, updated_at: at })
      .onConflict((oc) => oc.columns(['scope', 'kind']).doUpdateSet({ value: json, updated_at: at }))
      .execute();
  }

  /** Deletes every setting of the given scopes (databases being purged). */
  async deleteScopes(scopes: readonly string[]): Promise<void> {
    await this.db.deleteFrom('settings').where('scope', 'in', scopes).execute();
  }

  async delete(scope: string, kind: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('settings')
      .where('scope', '=', scope)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
