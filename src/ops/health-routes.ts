import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { AppServer } from '../http/server.js';
import { ApiError, ErrorIds } from '../http/errors.js';
import { isMigrated } from '../store/migrate.js';

const Status = Type.Object({ status: Type.String() });

export function registerHealthRoutes(app: AppServer, db: Kysely<any>): void {
  app.get(
    '/health',
    { config: { permission: 'public' }, schema: { tags: ['Operations'], summary: 'The process is up', 'x-orrery-extension': true, response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    { config: { permission: 'public' }, schema: { tags: ['Operations'], summary: 'The store answers and every migration is applied', 'x-orrery-extension': true, response: { 200: Status } } },
    async (request) => {
      try {
        await sql`select 1`.execute(db);
        if (await isMigrated(db)) return { status: 'ready' };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
      }
      throw new ApiError(503, ErrorIds.unavailable, 'The store is not ready.');
    },
  );
}
