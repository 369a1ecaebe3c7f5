import { Type } from 'typebox';
import { onDatabase } from '../databases/database-routes.js';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import { badRequest } from '../kernel/errors.js';
import { legacyDestinations, type TelemetryService } from './telemetry-service.js';

const Params = Type.Object({ databaseId: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) });
const Destinations = Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), {
  description:
    'Destination key (prometheus_remote, kafka, cloudwatch, splunk, datadog, pulsar) to its configuration; secrets read back masked',
});
const tags = ['Telemetry'];

export function registerTelemetryRoutes(app: AppServer, telemetry: TelemetryService): void {
  app.get(
    '/v2/databases/:databaseId/telemetry/metrics',
    {
      config: { permission: onDatabase('db-manage-telemetry') },
      schema: {
        tags,
        summary: "A database's metrics export configuration",
        params: Params,
        response: { 200: Destinations },
      },
    },
    async (request) => telemetry.get(principalOf(request), request.params.databaseId),
  );
  app.post(
    '/v2/databases/:databaseId/telemetry/metrics',
    {
      config: { permission: onDatabase('db-manage-telemetry') },
      schema: {
        tags,
        summary: 'Replace the metrics export configuration',
        description:
          'Orrery validates and keeps the configuration (secrets sealed) but exports no metrics: it has no data plane producing them.',
        params: Params,
        body: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { maxProperties: 10 }),
        response: { 200: Destinations },
      },
    },
    async (request) => telemetry.configure(actorOf(request), request.params.databaseId, request.body),
  );
  app.post(
    '/v2/databases/:databaseId/third-party-metrics',
    {
      config: { permission: onDatabase('db-manage-thirdpartymetrics') },
      schema: {
        tags,
        summary: 'Configure Kafka or Prometheus export with the older flat body (kafka_*, prom_* fields)',
        description: 'Sets the destinations given and keeps the others; the same configuration as /telemetry/metrics.',
        params: Params,
        body: Type.Object({
          kafka_bootstrap_servers: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 })),
          kafka_topic: Type.Optional(Type.String({ maxLength: 300 })),
          kafka_sasl_mechanism: Type.Optional(Type.String({ maxLength: 40 })),
          kafka_sasl_username: Type.Optional(Type.String({ maxLength: 300 })),
          kafka_sasl_password: Type.Optional(Type.String({ maxLength: 2048 })),
          prom_endpoint: Type.Optional(Type.String({ maxLength: 2048 })),
          prom_strategy: Type.Optional(Type.String({ maxLength: 20 })),
          prom_user: Type.Optional(Type.String({ maxLength: 300 })),
          prom_password: Type.Optional(Type.String({ maxLength: 2048 })),
          prom_token: Type.Optional(Type.String({ maxLength: 2048 })),
        }),
      },
    },
    async (request, reply) => {
      const destinations = legacyDestinations(request.body);
      if (Object.keys(destinations).length === 0) throw badRequest('Give kafka_* or prom_* fields.');
      await telemetry.configure(actorOf(request), request.params.databaseId, destinations, true);
      return reply.code(200).send();
    },
  );
}
