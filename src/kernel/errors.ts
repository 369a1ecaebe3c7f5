/**
 * Orrery's one error model. Every failure a caller can see is an ApiError with a stable numeric ID;
 * the error handler turns it into `{"errors":[{"ID":..,"message":..}]}`. docs/errors.md lists the IDs.
 */
export const ErrorIds = {
  invalidRequest: 2000001,
  malformedJson: 2000002,
  payloadTooLarge: 2000003,
  unsupportedMediaType: 2000004,
  routeNotFound: 2000005,
  resourceNotFound: 2000006,
  conflict: 2000007,
  forbidden: 2000008,
  addressNotAllowed: 2000009,
  rateLimited: 2000010,
  methodNotAllowed: 2000011,
  internal: 2000500,
  unavailable: 2000503,
  insufficientStorage: 2000507,
  // The real API's ID for a missing, malformed or unknown token.
  unauthenticated: 340018,
} as const;

export type ErrorId = (typeof ErrorIds)[keyof typeof ErrorIds];

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorId: ErrorId,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string) => new ApiError(400, ErrorIds.invalidRequest, message);
export const unauthenticated = (message = 'The token is missing, malformed, expired or unknown.') =>
  new ApiError(401, ErrorIds.unauthenticated, message);
export const forbidden = (message = 'The token does not grant the permission this operation needs.') =>
  new ApiError(403, ErrorIds.forbidden, message);
export const notFound = (message: string) => new ApiError(404, ErrorIds.resourceNotFound, message);
export const conflict = (message: string) => new ApiError(409, ErrorIds.conflict, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, ErrorIds.rateLimited, 'Too many failed attempts; retry later.', {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

export function errorBody(errorId: number, message: string) {
  return { errors: [{ ID: errorId, message }] };
}
