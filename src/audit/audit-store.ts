import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export type AuditResult = 'success' | 'denied';

export interface AuditEvent {
  id: string;
  orgId: string;
  at: string;
  actor: string;
  action: string;
  resource: string;
  address: string;
  result: AuditResult;
  details: Record<string, unknown>;
  /** How many identical denials the event stands for; 1 for everything else. */
  occurrences: number;
  /** When the last of them happened. */
  lastAt: string;
}

export interface AuditQuery {
  orgId: string;
  limit: number;
  /** Return events older than this event id (the previous page's last). */
  before?: string;
  action?: string;
  actor?: string;
  since?: string;
  until?: string;
}

export interface AuditRetention {
  /** Events at or before this time are deleted; undefined keeps every age. */
  olderThan?: string;
  /** Each organization keeps at most this many events, newest first; undefined keeps every count. */
  maxPerOrg?: number;
}

type NewEvent = Omit<AuditEvent, 'id' | 'occurrences' | 'lastAt'>;

export class AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(event: NewEvent): Promise<void> {
    await this.#insert(event, null);
  }

  /**
   * Records a denial, or counts it on the identical one (same organization, actor, action, resource,
   * address and details) recorded since `windowStart`, so that a client retrying a refused call does
   * not write a row per attempt.
   */
  async appendDenial(event: NewEvent, windowStart: string): Promise<void> {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([event.actor, event.action, event.resource, event.address, event.details]))
      .digest('hex');
    const counted = await this.db
      .updateTable('audit_events')
      .set({ occurrences: sql`occurrences + 1`, last_at: event.at })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('audit_events')
          .select('id')
          .where('org_id', '=', event.orgId)
          .where('fingerprint', '=', fingerprint)
          .where('at', '>=', windowStart)
          .orderBy('at', 'desc')
          .limit(1),
      )
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) === 0) await this.#insert(event, fingerprint);
  }

  async #insert(event: NewEvent, fingerprint: string | null): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        // Time-ordered ids keep paging stable when several events share a timestamp.
        id: `${event.at}~${randomUUID()}`,
        org_id: event.orgId,
        at: event.at,
        actor: event.actor,
        action: event.action,
        resource: event.resource,
        address: event.address,
        result: event.result,
        details: JSON.stringify(event.details),
        last_at: null,
        fingerprint,
      })
      .execute();
  }

  /** The query of a page, newest first, in the order of the (org_id, id) index so that no sort is needed. */
  listQuery(query: AuditQuery) {
    let select = this.db.selectFrom('audit_events').selectAll().where('org_id', '=', query.orgId);
    if (query.before) select = select.where('id', '<', query.before);
    if (query.action) select = select.where('action', '=', query.action);
    if (query.actor) select = select.where('actor', '=', query.actor);
    if (query.since) select = select.where('at', '>=', query.since);
    if (query.until) select = select.where('at', '<', query.until);
    return select.orderBy('org_id', 'desc').orderBy('id', 'desc').limit(query.limit);
  }

  async list(query: AuditQuery): Promise<AuditEvent[]> {
    const rows = await this.listQuery(query).execute();
    return rows.map((row) => ({
      id: row.id,
      orgId: row.org_id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      resource: row.resource,
      address: row.address,
      result: row.result as AuditResult,
      details: JSON.parse(row.details) as Record<string, unknown>,
      occurrences: row.occurrences,
      lastAt: row.last_at ?? row.at,
    }));
  }

  /** Deletes what the retention no longer keeps; returns how many events went. */
  async purge(retention: AuditRetention): Promise<number> {
    let deleted = 0;
    if (retention.olderThan) {
      const result = await this.db.deleteFrom('audit_events').where('at', '<', retention.olderThan).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    if (retention.maxPerOrg !== undefined) {
      const orgs = await this.db.selectFrom('audit_events').select('org_id').distinct().execute();
      for (const { org_id: orgId } of orgs) {
        const oldestKept = await this.db
          .selectFrom('audit_events')
          .select('id')
          .where('org_id', '=', orgId)
          .orderBy('org_id', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .offset(retention.maxPerOrg - 1)
          .executeTakeFirst();
        if (!oldestKept) continue;
        const result = await this.db
          .deleteFrom('audit_events')
          .where('org_id', '=', orgId)
          .where('id', '<', oldestKept.id)
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
    }
    return deleted;
  }
}
