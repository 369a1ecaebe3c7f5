import { Type } from 'typebox';
import type { AppServer } from '../http/server.js';
import { ApiError, ErrorIds } from '../kernel/errors.js';
import type { StoreHealth } from '../store/store-health.js';

const Status = Type.Object({ status: Type.String() });

export function registerHealthRoutes(app: AppServer, health: StoreHealth): void {
  app.get(
    '/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['Operations'],
        summary: 'The process is up',
        'x-orrery-extension': true,
        response: { 200: Status },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['Operations'],
        summary: 'The store answers, every migration is applied, and the store can write',
        'x-orrery-extension': true,
        response: { 200: Status },
      },
    },
    async (request) => {
      const readiness = await health.check();
      if (readiness.ready) return { status: 'ready' };
      request.log.warn({ reason: readiness.reason }, 'not ready');
      throw new ApiError(503, ErrorIds.unavailable, `Not ready: ${readiness.reason}.`);
    },
  );
}
