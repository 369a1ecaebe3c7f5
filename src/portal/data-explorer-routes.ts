import { Type } from 'typebox';
import type { DataApiService } from '../data-api/data-api-service.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';

const Name = Type.String({ pattern: '^[A-Za-z0-9_]{1,48}$' });
// Refusals before the command runs (no session, a missing CSRF token) come in the DevOps API's error
// shape, which has an ID where the Data API's has an errorCode; both carry the message.
const DataApiError = Type.Object({
  message: Type.String(),
  errorCode: Type.Optional(Type.String()),
  ID: Type.Optional(Type.Number()),
  title: Type.Optional(Type.String()),
  family: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  id: Type.Optional(Type.String()),
});
const DataApiAnswer = Type.Object({
  status: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  errors: Type.Optional(Type.Array(DataApiError)),
});

/**
 * The Portal's Data Explorer runs Data API commands through this route rather than on the data
 * endpoint: the endpoint takes a token header, and the page holds no token, only its session cookie.
 * The caller is authenticated like any API call (a cookie write must carry the session's CSRF token),
 * then the Data API decides each command with that caller's roles on the DRN it touches and applies the
 * database's access list, exactly as it would for a token.
 */
export function registerDataExplorerRoutes(app: AppServer, dataApi: DataApiService): void {
  app.post(
    '/v2/databases/:databaseId/data-api',
    {
      config: { permission: 'authenticated' },
      schema: {
        'x-orrery-extension': true,
        tags: ['Data API'],
        summary:
          "Run one Data API command on the database with the caller's own credential (the Portal's Data Explorer); answers as the data endpoint would",
        params: Type.Object({ databaseId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) }),
        body: Type.Object({
          region: Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: "a region of the database's datacenters" }),
          keyspace: Type.Optional(Name),
          collection: Type.Optional(Name),
          command: Type.Record(Type.String(), Type.Unknown(), {
            minProperties: 1,
            maxProperties: 1,
            description: 'one command, as the Data API takes it: {"<command>": {...}}',
          }),
        }),
        response: { 200: DataApiAnswer, '4XX': DataApiAnswer, '5XX': DataApiAnswer },
      },
    },
    async (request, reply) => {
      const { region, keyspace, collection, command } = request.body;
      const answer = await dataApi.handle({
        endpoint: `${request.params.databaseId}-${region}`,
        keyspace,
        collection: keyspace === undefined ? undefined : collection,
        token: undefined,
        principal: principalOf(request),
        address: request.ip,
        contentType: 'application/json',
        body: JSON.stringify(command),
      });
      if (typeof answer.body !== 'string') return reply.code(answer.httpStatus).send(answer.body);
      // Table rows come as JSON text already written, so that big numbers keep every digit.
      return reply
        .code(answer.httpStatus)
        .type('application/json; charset=utf-8')
        .serializer((text: string) => text)
        .send(answer.body as never);
    },
  );
}
