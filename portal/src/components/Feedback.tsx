import { Alert, Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** An API error, shown with the API's own message. */
export function ErrorNotice({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} role="alert">
      {error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error)}
    </Alert>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <Center py="xl" aria-live="polite">
      <Loader size="sm" mr="sm" aria-hidden />
      <Text>{label}</Text>
    </Center>
  );
}

/** What an empty list says: what there is not, and what to do next. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" py="md">
      {children}
    </Text>
  );
}
