import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, ApiFailure, ok, setCsrfToken } from './api/client';

export const SESSION_KEY = ['session'];

/** Who is signed in, or null when nobody is; the CSRF token is remembered for later writes. */
export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  // Every API call checks the session anyway; this copy only says who is signed in.
  staleTime: 60_000,
  queryFn: async () => {
    try {
      const session = await ok(api.GET('/auth/session'));
      setCsrfToken(session.csrfToken);
      return session;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return null;
      throw error;
    }
  },
});

export function useSession() {
  return useQuery(sessionQuery);
}

export type Session = NonNullable<ReturnType<typeof useSession>['data']>;

/** The signed-in caller's session; only for pages shown after sign-in. */
export function useSignedIn(): Session {
  const { data } = useSession();
  if (!data) throw new Error('a signed-in page was shown without a session');
  return data;
}

/** Ends the session and starts the Portal afresh, so nothing of the signed-out user stays in memory. */
export function useSignOut() {
  return async () => {
    await api.POST('/auth/sign-out');
    setCsrfToken(undefined);
    window.location.assign('/');
  };
}
