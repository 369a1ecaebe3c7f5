import { useQuery } from '@tanstack/react-query';
import { api, ApiFailure, ok } from './api/client';

/**
 * The enterprise the signed-in organization belongs to, with its organizations and enterprise roles;
 * null when it belongs to none (404) or the caller may not see it (403).
 */
export function useEnterprise() {
  return useQuery({
    queryKey: ['enterprise'],
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return await ok(api.GET('/v2/enterprises/organizations'));
      } catch (error) {
        if (error instanceof ApiFailure && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    },
  });
}

export type Enterprise = NonNullable<ReturnType<typeof useEnterprise>['data']>;
