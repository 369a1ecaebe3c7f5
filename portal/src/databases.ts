import { useQuery } from '@tanstack/react-query';
import { api, ok } from './api/client';
import type { DatabaseView, RegionView } from './api/views';

/** Statuses on the way to another one: while a database shows one, the Portal keeps asking. */
export const MOVING = new Set(['PENDING', 'INITIALIZING', 'MAINTENANCE', 'PARKING', 'UNPARKING', 'RESIZING', 'TERMINATING']);
export const POLL_MS = 1500;

// The rules the API applies, so the form can say what is wrong before sending.
export const DATABASE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
export const KEYSPACE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

export function useDatabase(databaseId: string) {
  return useQuery({
    queryKey: ['database', databaseId],
    queryFn: async () => (await ok(api.GET('/v2/databases/{databaseId}', { params: { path: { databaseId } } }))) as unknown as DatabaseView,
    refetchInterval: (query) => (query.state.data && MOVING.has(query.state.data.status) ? POLL_MS : false),
  });
}

export function useRegions() {
  return useQuery({
    queryKey: ['regions'],
    queryFn: async () => (await ok(api.GET('/v2/regions/serverless', { params: { query: {} } }))) as unknown as RegionView[],
    staleTime: Infinity,
  });
}
