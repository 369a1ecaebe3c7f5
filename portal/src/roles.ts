import { useQuery } from '@tanstack/react-query';
import { api, ok } from './api/client';

export function useRoles() {
  return useQuery({ queryKey: ['roles'], queryFn: () => ok(api.GET('/v2/organizations/roles')) });
}

/** Role choices for a picker: id as value, name as label. */
export function roleOptions(roles: { ID: string; Name: string }[] | undefined) {
  return (roles ?? []).map((r) => ({ value: r.ID, label: r.Name }));
}
