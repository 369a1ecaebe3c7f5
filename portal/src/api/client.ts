import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An error the API returned, with its own message, for pages to show as it is. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

/** Remembers the session's CSRF token, which every write made with the session cookie must echo. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && request.method !== 'GET') request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

/** The typed client of Orrery's API, generated from its own /openapi.json. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

function messageOf(error: unknown, status: number): string {
  if (error && typeof error === 'object') {
    const body = error as { errors?: { message?: string }[]; description?: string };
    if (body.errors?.[0]?.message) return body.errors[0].message;
    if (body.description) return body.description;
  }
  return `The request failed with status ${status}.`;
}

/** Unwraps a call's answer, throwing the API's own message when it failed. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiFailure(response.status, messageOf(error, response.status));
  return data as T;
}

/** Like `ok`, for calls whose answer is in the response's headers (a created database's Location). */
export async function okResponse(call: Promise<{ error?: unknown; response: Response }>): Promise<Response> {
  const { error, response } = await call;
  if (!response.ok) throw new ApiFailure(response.status, messageOf(error, response.status));
  return response;
}
