import { useMutation, useQueryClient } from '@tanstack/react-query';

/** A change to one database, after which its view (and the dashboard) are read again. */
export function useDatabaseChange<T = void>(databaseId: string, change: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['database', databaseId] });
      await client.invalidateQueries({ queryKey: ['databases'] });
    },
  });
}
