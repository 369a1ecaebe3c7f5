import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:portal` writes the Portal (kept in step with portal/vite.config.ts). */
export const PORTAL_DIR = fileURLToPath(new URL('../../portal/dist', import.meta.url));

/** The first path segments of the Portal's own pages; any other unknown path stays an API 404. */
const PORTAL_PAGES = new Set(['', 'databases', 'settings', 'sign-in', 'invitations', 'organizations']);

const MISSING_BUILD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Orrery Portal</title></head>
<body><main><h1>The Orrery Portal is not built</h1><p>Run <code>npm run build:portal</code> and restart Orrery.</p></main></body></html>`;

/**
 * Serves the built Portal at `/`: its files under /assets, and index.html for every Portal page so
 * that the browser's router takes over. API routes are matched first, being more specific.
 */
export async function registerPortalRoutes(app: FastifyInstance, portalDir = PORTAL_DIR): Promise<void> {
  const built = existsSync(path.join(portalDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: portalDir, serve: false });

  const sendPage = (reply: FastifyReply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
      : reply.code(503).type('text/html; charset=utf-8').send(MISSING_BUILD);

  app.get('/', { config: { permission: 'public' }, schema: { hide: true } }, (_request, reply) => sendPage(reply));
  app.get<{ Params: { '*': string } }>(
    '/*',
    { config: { permission: 'public' }, schema: { hide: true } },
    (request, reply) => {
      const rest = request.params['*'];
      // Hashed file names never change their content, so they may be cached for good.
      if (built && rest.startsWith('assets/') && !rest.includes('..')) {
        return reply.sendFile(rest, { maxAge: 365 * 24 * 60 * 60 * 1000, immutable: true });
      }
      if (PORTAL_PAGES.has(rest.split('/')[0]!)) return sendPage(reply);
      return reply.callNotFound();
    },
  );
}
