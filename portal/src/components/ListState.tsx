import type { ReactNode } from 'react';
import { Empty, ErrorNotice, Loading } from './Feedback';

export interface ListStateProps<T> {
  /** The list as loaded; undefined until the first answer (or when it failed). */
  items: readonly T[] | undefined;
  /** The failure of the last load, or of a change made from the list, shown with the API's own message. */
  error?: unknown;
  errorTitle?: string;
  /** What the loading line says, e.g. "Loading tokens…". */
  loading: string;
  /** What an empty list says: what is missing and what to do next. */
  whenEmpty: ReactNode;
  children: (items: readonly T[]) => ReactNode;
}

/** The states every list goes through: loading, failed (with its message), empty (with the next step), or shown. */
export function ListState<T>({ items, error, errorTitle, loading, whenEmpty, children }: ListStateProps<T>) {
  return (
    <>
      <ErrorNotice error={error} title={errorTitle} />
      {items === undefined ? (
        !error && <Loading label={loading} />
      ) : items.length === 0 ? (
        <Empty>{whenEmpty}</Empty>
      ) : (
        children(items)
      )}
    </>
  );
}
