import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Actor } from '../kernel/principal.js';
import type { Database } from '../store/schema.js';
import { AuditStore, type AuditResult } from './audit-store.js';

export interface AuditEntry {
  action: string;
  resource: string;
  result?: AuditResult;
  /** Plain facts about the change; never a secret or token. */
  details?: Record<string, unknown>;
  /** The organization whose log gets the record, when it is not the actor's (an enterprise token acting on a member). */
  orgId?: string;
}

/** Identical denials within this long of the first are counted on its event rather than written anew. */
export const DENIAL_AGGREGATION_MS = 60_000;

/** Records who did what, on which resource, when, from where and with what result. */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  /** Writes through the caller's transaction, so the record and the change commit together. */
  async record(db: Kysely<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
    const now = this.clock.now();
    const event = {
      orgId: entry.orgId ?? actor.principal.orgId,
      at: now.toISOString(),
      actor: actor.principal.clientId,
      action: entry.action,
      resource: entry.resource,
      address: actor.address,
      result: entry.result ?? 'success',
      details: entry.details ?? {},
    };
    const store = new AuditStore(db);
    if (event.result === 'denied')
      await store.appendDenial(event, new Date(now.getTime() - DENIAL_AGGREGATION_MS).toISOString());
    else await store.append(event);
  }
}
