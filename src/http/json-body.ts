import type { FastifyInstance } from 'fastify';
import { ApiError, ErrorIds, badRequest } from '../kernel/errors.js';

/**
 * Parses JSON bodies, treating an empty body as no body: real clients send
 * `Content-Type: application/json` on bodiless POSTs and DELETEs (terminate, keyspaces).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // Only JSON is accepted: every other content type, text/plain included, gets a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    void parseJson(request, text, (error, value) => {
      if (error)
        return done(
          new ApiError(400, ErrorIds.malformedJson, `The request body is not valid JSON: ${error.message}`),
          undefined,
        );
      // PostgreSQL cannot store a NUL character and SQLite can: refuse it here so both stores answer alike.
      if (holdsNul(value))
        return done(badRequest('The request contains a NUL character, which cannot be stored.'), undefined);
      done(null, value);
    });
  });
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || holdsNul(item));
  return false;
}
