import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, ErrorIds, errorBody } from './errors.js';

const KNOWN_CODES: Record<string, { status: number; id: number }> = {
  // PostgreSQL refuses text with a NUL character (SQLite keeps it): the caller's input, not our fault.
  '22021': { status: 400, id: ErrorIds.invalidRequest },
  '22P05': { status: 400, id: ErrorIds.invalidRequest },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, id: ErrorIds.payloadTooLarge },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, id: ErrorIds.unsupportedMediaType },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, id: ErrorIds.invalidRequest },
};

/** Maps every failure to the one JSON error shape; only unexpected faults are logged with their stack. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).headers(error.headers).send(errorBody(error.errorId, error.message));
    }
    if (error.validation) {
      return reply.code(400).send(errorBody(ErrorIds.invalidRequest, `Invalid request: ${error.message}`));
    }
    const known = error.code ? KNOWN_CODES[error.code] : undefined;
    if (known) return reply.code(known.status).send(errorBody(known.id, known.status === 400 && /^22/.test(error.code!) ? 'The request contains characters that cannot be stored (such as NUL).' : error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody(ErrorIds.invalidRequest, error.message));
    }
    request.log.error({ err: error }, 'unexpected fault');
    return reply.code(500).send(errorBody(ErrorIds.internal, 'An unexpected error occurred; it has been logged.'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(ErrorIds.routeNotFound, `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
