import { infiniteQueryOptions, useQuery } from '@tanstack/react-query';
import { api, ok } from './api/client';
import type { DatabaseView, RegionView } from './api/views';

/** Statuses on the way to another one: while a database shows one, the Portal keeps asking. */
export const MOVING = new Set([
  'PENDING',
  'INITIALIZING',
  'MAINTENANCE',
  'PARKING',
  'UNPARKING',
  'RESIZING',
  'TERMINATING',
]);
export const POLL_MS = 1500;

// The rules the API applies, so the form can say what is wrong before sending.
export const DATABASE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
export const KEYSPACE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

export function useDatabase(databaseId: string) {
  return useQuery({
    queryKey: ['database', databaseId],
    queryFn: async () =>
      (await ok(
        api.GET('/v2/databases/{databaseId}', { params: { path: { databaseId } } }),
      )) as unknown as DatabaseView,
    refetchInterval: (query) => (query.state.data && MOVING.has(query.state.data.status) ? POLL_MS : false),
  });
}

export function useRegions(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['regions'],
    queryFn: async () =>
      (await ok(api.GET('/v2/regions/serverless', { params: { query: {} } }))) as unknown as RegionView[],
    staleTime: Infinity,
  });
}

/** Databases per page of the dashboard. */
export const PAGE_SIZE = 25;
// The first request asks for one page only, so that it shows at once; later ones fetch more at a time.
const FETCH_SIZE = 100;

/** Every database, page after page, polled while any of them is on its way to another status. */
export const databasesQuery = infiniteQueryOptions({
  queryKey: ['databases'],
  // The prefetched first page is fresh when the dashboard mounts; no need to ask twice.
  staleTime: 2_000,
  initialPageParam: undefined as string | undefined,
  queryFn: async ({ pageParam }) => {
    const limit = pageParam ? FETCH_SIZE : PAGE_SIZE;
    const query = { limit: String(limit), ...(pageParam ? { starting_after: pageParam } : {}) };
    return {
      limit,
      databases: (await ok(api.GET('/v2/databases', { params: { query } }))) as unknown as DatabaseView[],
    };
  },
  getNextPageParam: (last) => (last.databases.length === last.limit ? last.databases.at(-1)!.id : undefined),
  refetchInterval: (query) =>
    query.state.data?.pages.some((p) => p.databases.some((d) => MOVING.has(d.status))) ? POLL_MS : false,
});
