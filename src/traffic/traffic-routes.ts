import { Type } from 'typebox';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import { parseEndpointName } from '../dbauth/data-endpoints.js';
import { onDatabase } from '../databases/database-routes.js';
import { TRAFFIC_MINUTES, type TrafficRecorder } from './traffic-recorder.js';

// Data endpoints are routed under this parameter (see src/dbauth/data-endpoints.ts).
const DATA_ROUTE_PREFIX = '/data/:endpoint/';

/**
 * Records every data-endpoint request against its database, and serves the measurements.
 * `exists` confirms the database is the caller's, so no organization reads another's traffic.
 */
export function registerTrafficRoutes(
  app: AppServer,
  recorder: TrafficRecorder,
  exists: (orgId: string, databaseId: string) => Promise<unknown>,
): void {
  app.addHook('onResponse', async (request, reply) => {
    if (!request.routeOptions.url?.startsWith(DATA_ROUTE_PREFIX)) return;
    const endpoint = parseEndpointName((request.params as { endpoint?: string }).endpoint ?? '');
    if (endpoint) recorder.record(endpoint.databaseId, reply.statusCode, reply.elapsedTime);
  });

  app.get(
    '/v2/databases/:databaseId/traffic',
    {
      config: { permission: onDatabase('org-db-view') },
      schema: {
        'x-orrery-extension': true,
        tags: ['Databases'],
        summary: `Requests, errors and latency percentiles of the database's data endpoints, per minute over the last ${TRAFFIC_MINUTES} minutes, added up over every Orrery process on the same store`,
        params: Type.Object({ databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) }),
        response: {
          200: Type.Object({
            minutes: Type.Integer(),
            points: Type.Array(
              Type.Object({
                at: Type.String(),
                requests: Type.Integer(),
                errors: Type.Integer(),
                latencyMs: Type.Object({ p50: Type.Number(), p95: Type.Number(), p99: Type.Number() }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      await exists(principalOf(request).orgId, request.params.databaseId);
      return { minutes: TRAFFIC_MINUTES, points: await recorder.points(request.params.databaseId) };
    },
  );
}
