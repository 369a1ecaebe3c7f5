import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storeFaultOf, type StoreFault } from '../store/store-faults.js';
import { ApiError, ErrorIds, errorBody } from '../kernel/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How the route's errors are written. 'stargate' is the per-database auth API's shape,
     * `{"description": ...}` with no caching, which its clients parse; the default is Orrery's model.
     */
    errorFormat?: 'stargate';
  }
}

const KNOWN_CODES: Record<string, { status: number; id: number }> = {
  // PostgreSQL refuses text with a NUL character (SQLite keeps it): the caller's input, not our fault.
  '22021': { status: 400, id: ErrorIds.invalidRequest },
  '22P05': { status: 400, id: ErrorIds.invalidRequest },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, id: ErrorIds.payloadTooLarge },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, id: ErrorIds.unsupportedMediaType },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, id: ErrorIds.invalidRequest },
};

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  id: number,
  message: string,
  headers: Record<string, string> = {},
) {
  reply.code(status).headers(headers);
  if (request.routeOptions.config?.errorFormat === 'stargate') {
    return reply
      .header('cache-control', 'no-store, no-transform, max-age=0, s-maxage=0')
      .send({ description: message });
  }
  return reply.send(errorBody(id, message));
}

const FAULT_ANSWERS: Record<StoreFault, { status: number; id: number; message: string }> = {
  unreachable: { status: 503, id: ErrorIds.unavailable, message: 'The store is unreachable; retry shortly.' },
  full: {
    status: 507,
    id: ErrorIds.insufficientStorage,
    message: 'The store has no space left to write; nothing was changed.',
  },
  unwritable: { status: 503, id: ErrorIds.unavailable, message: 'The store cannot write; nothing was changed.' },
};

/** The validator's message, with times named by the format they must have. */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  if (first?.keyword === 'format' && first.params.format === 'date-time') {
    const field = first.instancePath.replace(/^\//, '').replaceAll('/', '.') || error.validationContext;
    return `Invalid request: ${field} must be an RFC 3339 date-time with a time zone, such as 2030-01-01T00:00:00Z.`;
  }
  return `Invalid request: ${error.message}`;
}

/**
 * Maps every failure to one error model; only unexpected faults are logged with their stack. A store
 * fault (unreachable, full, unwritable) is the operator's to fix, not the caller's: it gets a 503 or 507
 * and its real cause goes to the log and to `onStoreFault`.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  onStoreFault: (fault: StoreFault, error: Error) => void = () => {},
): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError)
      return send(request, reply, error.statusCode, error.errorId, error.message, error.headers);
    const fault = storeFaultOf(error);
    if (fault) {
      onStoreFault(fault, error);
      request.log.error({ err: error, storeFault: fault }, 'store fault');
      const answer = FAULT_ANSWERS[fault];
      return send(
        request,
        reply,
        answer.status,
        answer.id,
        answer.message,
        answer.status === 503 ? { 'retry-after': '5' } : {},
      );
    }
    if (error.validation) return send(request, reply, 400, ErrorIds.invalidRequest, validationMessage(error));
    const known = error.code ? KNOWN_CODES[error.code] : undefined;
    if (known) {
      const message =
        known.status === 400 && /^22/.test(error.code)
          ? 'The request contains characters that cannot be stored (such as NUL).'
          : error.message;
      return send(request, reply, known.status, known.id, message);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return send(request, reply, error.statusCode, ErrorIds.invalidRequest, error.message);
    request.log.error({ err: error }, 'unexpected fault');
    return send(request, reply, 500, ErrorIds.internal, 'An unexpected error occurred; it has been logged.');
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(ErrorIds.routeNotFound, `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
