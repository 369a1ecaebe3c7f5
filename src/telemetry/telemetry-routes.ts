import { Type } from 'typebox';
import { onDatabase } from '../databases/database-routes.js';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import type { TelemetryService } from './telemetry-service.js';

const Params = Type.Object({ databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) });
const Destinations = Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), {
  description: 'Destination key (prometheus_remote, kafka, cloudwatch, splunk, datadog, pulsar) to its configuration; secrets read back masked',
});
const tags = ['Telemetry'];

export function registerTelemetryRoutes(app: AppServer, telemetry: TelemetryService): void {
  app.get(
    '/v2/databases/:databaseId/telemetry/metrics',
    { config: { permission: onDatabase('db-manage-telemetry') }, schema: { tags, summary: "A database's metrics export configuration", params: Params, response: { 200: Destinations } } },
    async (request) => telemetry.get(principalOf(request), request.params.databaseId),
  );
  app.post(
    '/v2/databases/:databaseId/telemetry/metrics',
    {
      config: { permission: onDatabase('db-manage-telemetry') },
      schema: {
        tags,
        summary: 'Replace the metrics export configuration',
        description: 'Orrery validates and keeps the configuration (secrets sealed) but exports no metrics: it has no data plane producing them.',
        params: Params,
        body: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { maxProperties: 10 }),
        response: { 200: Destinations },
      },
    },
    async (request) => telemetry.configure(actorOf(request), request.params.databaseId, request.body),
  );
}
