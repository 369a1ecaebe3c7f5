import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../http/auth.js';
import { forbidden } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../iam/builtin-roles.js';
import { FORCIBLE_STATUSES, type EmulatorService } from './emulator-service.js';
import type { RequestJournal } from './journal.js';

const tags = ['Orrery emulator'];
const SnapshotParams = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$' }) });
const DatabaseParams = Type.Object({ databaseId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const DatabaseStatus = Type.Object({ id: Type.String(), status: Type.String() });

/** Only an Organization Administrator drives the emulator: the built-in role itself, not a custom role with its actions. */
async function requireOrganizationAdministrator(request: FastifyRequest): Promise<void> {
  if (!principalOf(request).roleIds.includes(ORGANIZATION_ADMINISTRATOR_ID))
    throw forbidden('Emulator controls need an Organization Administrator token.');
}

// Generic so that each route keeps the types of its own params, body and querystring.
const control = <S extends object = object>(summary: string, schema?: S) => ({
  config: { permission: { action: 'org-write' } },
  preHandler: requireOrganizationAdministrator,
  schema: {
    tags,
    summary,
    description: 'An Orrery extension for test suites, served only when ORRERY_EMULATOR=true.',
    'x-orrery-extension': true as const,
    ...(schema as S),
  },
});

/** The /_orrery/ controls: reset, snapshots, hand-driven statuses and the request journal. */
export function registerEmulatorRoutes(app: AppServer, emulator: EmulatorService, journal: RequestJournal): void {
  app.post(
    '/_orrery/reset',
    control('Empty the whole state, then make the first organization again and apply the seed file', {
      response: {
        200: Type.Object({
          orgId: Type.String(),
          adminToken: Type.Optional(Type.String({ description: 'Shown once, when Orrery generated it' })),
        }),
      },
    }),
    async () => emulator.reset(),
  );

  app.get(
    '/_orrery/snapshots',
    control('List the saved snapshots', {
      response: { 200: Type.Array(Type.Object({ name: Type.String(), createdAt: Type.String() })) },
    }),
    async () => emulator.listSnapshots(),
  );

  app.post(
    '/_orrery/snapshots/:name',
    control('Save the whole state under a name, replacing a snapshot of that name', { params: SnapshotParams }),
    async (request, reply) => {
      await emulator.saveSnapshot(request.params.name);
      return reply.code(201).send({ name: request.params.name });
    },
  );

  app.post(
    '/_orrery/snapshots/:name/restore',
    control('Replace the whole state with a snapshot', { params: SnapshotParams }),
    async (request, reply) => {
      await emulator.restoreSnapshot(request.params.name);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/_orrery/snapshots/:name',
    control('Delete a snapshot', { params: SnapshotParams }),
    async (request, reply) => {
      await emulator.deleteSnapshot(request.params.name);
      return reply.code(204).send();
    },
  );

  app.post(
    '/_orrery/databases/:databaseId/advance',
    control("Run a database's pending status change now (with ORRERY_PROVISIONING_SPEED=manual, nothing else does)", {
      params: DatabaseParams,
      response: { 200: DatabaseStatus },
    }),
    async (request) => ({
      id: request.params.databaseId,
      status: await emulator.advance(principalOf(request).orgId, request.params.databaseId),
    }),
  );

  app.post(
    '/_orrery/databases/:databaseId/status',
    control("Force a database's status, dropping its pending changes, to test how a client handles it", {
      params: DatabaseParams,
      body: Type.Object({ status: Type.String({ description: FORCIBLE_STATUSES.join(', ') }) }),
      response: { 200: DatabaseStatus },
    }),
    async (request) => {
      await emulator.force(principalOf(request).orgId, request.params.databaseId, request.body.status);
      return { id: request.params.databaseId, status: request.body.status };
    },
  );

  app.get(
    '/_orrery/journal',
    control(
      "The last requests this server process served, oldest first, with secrets in bodies masked; this route's own calls are left out",
      {
        querystring: Type.Object({
          method: Type.Optional(Type.String({ maxLength: 10 })),
          path: Type.Optional(Type.String({ maxLength: 500, description: 'part of the path' })),
          status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
          caller: Type.Optional(Type.String({ maxLength: 64, description: "the calling token's client id" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        }),
      },
    ),
    async (request) => ({ entries: journal.list(request.query) }),
  );

  app.delete('/_orrery/journal', control('Empty the request journal'), async (_request, reply) => {
    journal.clear();
    return reply.code(204).send();
  });
}
