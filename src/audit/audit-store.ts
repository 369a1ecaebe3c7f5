import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
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

export class AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(event: Omit<AuditEvent, 'id'>): Promise<void> {
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
      })
      .execute();
  }

  /** Newest first. */
  async list(query: AuditQuery): Promise<AuditEvent[]> {
    let select = this.db.selectFrom('audit_events').selectAll().where('org_id', '=', query.orgId);
    if (query.before) select = select.where('id', '<', query.before);
    if (query.action) select = select.where('action', '=', query.action);
    if (query.actor) select = select.where('actor', '=', query.actor);
    if (query.since) select = select.where('at', '>=', query.since);
    if (query.until) select = select.where('at', '<', query.until);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
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
    }));
  }
}
