import { Type } from 'typebox';
import type { AppServer } from '../http/server.js';
import { DATA_PATH_PREFIX } from './data-endpoints.js';
import type { DbAuthService } from './db-auth-service.js';

const Params = Type.Object({ endpoint: Type.String({ maxLength: 100, description: '<databaseId>-<region>' }) });
const tags = ['Per-database auth API'];
const description =
  "Served on each database's data endpoint: by host name (`https://<databaseId>-<region>.<apps domain>/api/rest/v1/...`) " +
  `or by path on Orrery's own address (\`${DATA_PATH_PREFIX}/<databaseId>-<region>/api/rest/v1/...\`). Errors are \`{"description": ...}\`.`;

/** The legacy table-based auth API: credentials in, a sliding-window auth token out. */
export function registerDbAuthRoutes(app: AppServer, dbAuth: DbAuthService): void {
  const success = `no-transform, max-age=${dbAuth.ttlSeconds - 10}, s-maxage=${dbAuth.ttlSeconds - 10}`;
  const forms = [
    {
      path: 'auth',
      summary: 'Make an auth token from a username and password',
      nameField: 'username',
      secretField: 'password',
    },
    {
      path: 'auth/token/generate',
      summary: 'Make an auth token from a key and secret',
      nameField: 'key',
      secretField: 'secret',
    },
  ] as const;

  for (const form of forms) {
    app.post(
      `${DATA_PATH_PREFIX}/:endpoint/api/rest/v1/${form.path}`,
      {
        config: { permission: 'public', errorFormat: 'stargate' },
        schema: {
          tags,
          summary: form.summary,
          description: `${description} The body is \`{"${form.nameField}": ..., "${form.secretField}": ...}\`: an application token's clientId and secret, \`token\` and an \`AstraCS:\` token, or a classic database's user and password.`,
          params: Params,
          response: { 201: Type.Object({ authToken: Type.String({ format: 'uuid' }) }) },
        },
      },
      async (request, reply) => {
        const authToken = await dbAuth.createToken(request.params.endpoint, form, request.body, request.ip);
        return reply.code(201).header('cache-control', success).send({ authToken });
      },
    );
  }
}
