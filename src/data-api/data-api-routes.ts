import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DATA_PATH_PREFIX } from '../dbauth/data-endpoints.js';
import type { AppServer } from '../http/server.js';
import { DataApiError, errorResponse } from './data-api-errors.js';
import type { DataApiService } from './data-api-service.js';

/** The reference server's HTTP body limit. */
const BODY_LIMIT_BYTES = 20 * 1024 * 1024;
/** Astra's path, and the one self-hosted Data API servers use (astra-db-ts `environment: 'hcd'`). */
const API_ROOTS = ['api/json/v1', 'v1'];
const LEVELS = ['', '/:keyspace', '/:keyspace/:collection'];

const DataApiErrorSchema = Type.Object({
  id: Type.String(),
  family: Type.String(),
  scope: Type.String(),
  errorCode: Type.String(),
  title: Type.String(),
  message: Type.String(),
  documentIds: Type.Optional(Type.Array(Type.Unknown())),
});
const DataApiResponseSchema = Type.Object({
  status: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  errors: Type.Optional(Type.Array(DataApiErrorSchema)),
});
const response = { 200: DataApiResponseSchema, '4XX': DataApiResponseSchema, '5XX': DataApiResponseSchema };

interface Params {
  endpoint: string;
  keyspace?: string;
  collection?: string;
}

const description =
  "The Data API, on each database's data endpoint: by host name (`https://<databaseId>-<region>.<apps domain>/api/json/v1/...`) " +
  `or by path on Orrery's own address (\`${DATA_PATH_PREFIX}/<databaseId>-<region>/api/json/v1/...\`); \`/v1/...\` also answers, for self-hosted client settings. ` +
  'The body is one command, `{"<command>": {...}}`; the `Token` (or `X-Cassandra-Token`) header carries an `AstraCS:` token, a service-account JWT or ' +
  'an auth token from the per-database auth API. Each command is authorized on its own, by its action on the database, keyspace or collection it ' +
  "touches, so the route itself is public. Errors come back in the Data API's `errors` array, mostly with HTTP 200.";

/**
 * Browser apps call data endpoints from other origins with a token header (never cookies), so any
 * origin may; the preflight answers for the headers the clients send.
 */
function allowCors(request: FastifyRequest, reply: FastifyReply): void {
  if (!request.headers.origin) return;
  void reply.header('access-control-allow-origin', '*').header('vary', 'Origin');
}

export function registerDataApiRoutes(app: AppServer, dataApi: DataApiService): void {
  void app.register(async (scope) => {
    // The service reads the body itself, so that a malformed one gets the Data API's error.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      const status = error.statusCode === 413 ? 413 : 400;
      const problem = new DataApiError(
        'REQUEST_STRUCTURE_MISMATCH',
        status === 413 ? `The request body is larger than ${BODY_LIMIT_BYTES} bytes.` : error.message,
      );
      return reply.code(status).send(errorResponse([problem]));
    });

    for (const root of API_ROOTS) {
      for (const level of LEVELS) {
        const url = `${DATA_PATH_PREFIX}/:endpoint/${root}${level}`;
        scope.post(
          url,
          {
            bodyLimit: BODY_LIMIT_BYTES,
            config: { permission: 'public' },
            schema: {
              tags: ['Data API'],
              summary: `Run a ${level === '' ? 'database' : level.includes('collection') ? 'collection' : 'keyspace'}-level command`,
              description,
              hide: root === 'v1',
              response,
            },
          },
          async (request, reply) => {
            allowCors(request, reply);
            const params = request.params as Params;
            const token = header(request, 'token') ?? header(request, 'x-cassandra-token');
            const response = await dataApi.handle({
              endpoint: params.endpoint,
              keyspace: params.keyspace,
              collection: params.collection,
              token,
              address: request.ip,
              contentType: header(request, 'content-type'),
              body: typeof request.body === 'string' ? request.body : '',
            });
            if (typeof response.body === 'string') void reply.type('application/json; charset=utf-8');
            return reply.code(response.httpStatus).send(response.body);
          },
        );
        scope.options(url, { config: { permission: 'public' }, schema: { hide: true } }, async (request, reply) => {
          allowCors(request, reply);
          return reply
            .code(204)
            .header('access-control-allow-methods', 'POST, OPTIONS')
            .header(
              'access-control-allow-headers',
              header(request, 'access-control-request-headers') ?? 'content-type, token, x-cassandra-token',
            )
            .header('access-control-max-age', '600')
            .send();
        });
      }
    }
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
