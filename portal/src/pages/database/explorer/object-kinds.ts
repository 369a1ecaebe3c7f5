import type { RunCommand } from './data-api';

/** A collection or table of a keyspace, as the Explorer lists it. */
export interface DataObject {
  kind: 'collection';
  name: string;
  /** What the list says under the name: the vector settings, for instance. */
  detail: string;
}

interface CollectionInfo {
  name: string;
  options?: { vector?: { dimension?: number; metric?: string } };
}

/**
 * The kinds of object a keyspace holds, each listed by its own Data API command. Collections hold
 * documents; tables, when the Data API serves them, are another entry here (listed by `listTables`)
 * whose rows the same document view pages through, filters, inserts, edits and deletes.
 */
export const OBJECT_KINDS: {
  kind: DataObject['kind'];
  heading: string;
  list: (run: RunCommand, keyspace: string) => Promise<DataObject[]>;
}[] = [
  {
    kind: 'collection',
    heading: 'Collections',
    list: async (run, keyspace) => {
      const answer = await run({ keyspace }, { findCollections: { options: { explain: true } } });
      return ((answer.status?.collections ?? []) as CollectionInfo[]).map((c) => ({
        kind: 'collection',
        name: c.name,
        detail: c.options?.vector?.dimension
          ? `vector, ${c.options.vector.dimension} dimensions, ${c.options.vector.metric ?? 'cosine'}`
          : 'no vector',
      }));
    },
  },
];
