import type { FastifyInstance } from 'fastify';
import { ApiError, ErrorIds } from './errors.js';

/**
 * Parses JSON bodies, treating an empty body as no body: real clients send
 * `Content-Type: application/json` on bodiless POSTs and DELETEs (terminate, keyspaces).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    void parseJson(request, text, (error, value) => {
      if (error) return done(new ApiError(400, ErrorIds.malformedJson, `The request body is not valid JSON: ${error.message}`), undefined);
      done(null, value);
    });
  });
}
