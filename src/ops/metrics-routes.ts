import type { Kysely } from 'kysely';
import { principalOf } from '../http/auth.js';
import { forbidden } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../iam/builtin-roles.js';
import type { Database } from '../store/schema.js';
import type { Metrics } from './metrics.js';

/**
 * GET /metrics in Prometheus text format. The figures span every organization (database ids
 * included), so only an Organization Administrator of the installation's first organization reads them.
 */
export function registerMetricsRoutes(app: AppServer, metrics: Metrics, db: Kysely<Database>): void {
  app.get(
    '/metrics',
    {
      config: { permission: { action: 'org-write' } },
      preHandler: async (request) => {
        const principal = principalOf(request);
        const installation = await db.selectFrom('installation').select('org_id').executeTakeFirst();
        if (!principal.roleIds.includes(ORGANIZATION_ADMINISTRATOR_ID) || principal.orgId !== installation?.org_id) {
          throw forbidden("Metrics need an Organization Administrator token of the installation's first organization.");
        }
      },
      schema: {
        tags: ['Operations'],
        summary:
          'Request counts and latencies, lifecycle jobs, store timings, auth failures and data-endpoint traffic (Prometheus text format)',
        description: 'An Orrery extension. Scrape it with the token as a bearer credential.',
        'x-orrery-extension': true,
      },
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
