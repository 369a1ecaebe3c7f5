import { Type } from 'typebox';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { AuditStore } from './audit-store.js';

const AuditEventSchema = Type.Object({
  id: Type.String(),
  time: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: 'client id of the token or service account that acted' }),
  action: Type.String({ description: 'what happened, e.g. CREATE_ROLE or GENERATE_TOKEN' }),
  resource: Type.String({ description: 'the DRN or id of what it happened to' }),
  address: Type.String({ description: 'the address the request came from' }),
  result: Type.Union([Type.Literal('success'), Type.Literal('denied')]),
  details: Type.Record(Type.String(), Type.Unknown()),
  occurrences: Type.Integer({ description: 'identical denials within a minute are one event: how many it stands for' }),
  lastTime: Type.String({ format: 'date-time', description: 'when the last of them happened' }),
});

/**
 * An RFC 3339 time as the stored form (UTC, milliseconds). A leap second (`23:59:60`), which RFC 3339
 * allows and JavaScript dates cannot hold, is the instant just after `23:59:59.999`.
 */
function instantOf(time: string): string {
  const leap = /^(.*:)60(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.exec(time);
  if (!leap) return new Date(time).toISOString();
  return new Date(Date.parse(`${leap[1]}59${leap[3]}`) + 1000).toISOString();
}

export function registerAuditRoutes(app: AppServer, db: Kysely<Database>): void {
  const store = new AuditStore(db);
  app.get(
    '/v2/organizations/audit-events',
    {
      config: { permission: { action: 'org-audits-read' } },
      schema: {
        tags: ['Audit'],
        summary: "The organization's audit log, newest first",
        description:
          'An Orrery extension: Astra offers its audit log only as a file download. Page with `before=<nextBefore>`.',
        'x-orrery-extension': true,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          before: Type.Optional(Type.String({ maxLength: 200 })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          actor: Type.Optional(Type.String({ maxLength: 100 })),
          since: Type.Optional(Type.String({ format: 'date-time' })),
          until: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            events: Type.Array(AuditEventSchema),
            nextBefore: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { limit, before, action, actor, since, until } = request.query;
      const events = await store.list({
        orgId: principalOf(request).orgId,
        limit,
        before,
        action,
        actor,
        since: since && instantOf(since),
        until: until && instantOf(until),
      });
      return {
        events: events.map(({ orgId: _orgId, at, lastAt, ...rest }) => ({ ...rest, time: at, lastTime: lastAt })),
        nextBefore: events.length === limit ? events.at(-1)!.id : null,
      };
    },
  );
}
