import { sql, type RawBuilder } from 'kysely';
import { isIndexedPath, type CollectionSettings } from './collection-settings.js';
import type { DataStore } from './data-plane.js';
import { fail } from './data-api-errors.js';
import { isObject, type Json } from './typed-values.js';
import { parseVector } from './vectors.js';

export type Sort =
  | { kind: 'none' }
  | { kind: 'fields'; keys: { path: string; descending: boolean }[] }
  | { kind: 'vector'; vector: Float32Array };

/** Reads a sort clause: fields with 1 or -1, or a `$vector` on its own. */
export function parseSort(sort: Json | undefined, settings: CollectionSettings): Sort {
  if (sort === undefined || sort === null) return { kind: 'none' };
  if (!isObject(sort)) fail('SORT_CLAUSE_INVALID', 'The sort clause must be a JSON object.');
  const keys = Object.keys(sort);
  if (keys.length === 0) return { kind: 'none' };
  const special = keys.filter((k) => k.startsWith('$'));
  if (special.length > 0 && keys.length > 1)
    fail('CANNOT_SORT_ON_SPECIAL_WITH_OTHERS', `A sort on ${special[0]} cannot be combined with other sort fields.`);
  if (keys[0] === '$vector') {
    if (!settings.vector)
      fail(
        'UNSUPPORTED_VECTOR_SORT_FOR_COLLECTION',
        'The collection is not vector-enabled, so it cannot be sorted by $vector.',
      );
    const vector = parseVector(sort.$vector!, 'sort');
    if (vector.length !== settings.vector.dimension) {
      fail(
        'INVALID_VECTOR_LENGTH',
        `The sort vector has ${vector.length} dimensions; the collection's vectors have ${settings.vector.dimension}.`,
      );
    }
    return { kind: 'vector', vector };
  }
  if (keys[0] === '$vectorize') {
    fail(
      'UNSUPPORTED_VECTORIZE_SORT_FOR_COLLECTION',
      'The collection has no embedding service, so it cannot be sorted by $vectorize: Orrery calls no embedding provider.',
    );
  }
  if (keys[0] === '$lexical')
    fail(
      'LEXICAL_NOT_ENABLED_FOR_COLLECTION',
      'The collection does not have lexical search enabled, so it cannot be sorted by $lexical.',
    );
  if (special.length > 0) fail('SORT_CLAUSE_PATH_INVALID', `${special[0]} is not a path that can be sorted on.`);
  return {
    kind: 'fields',
    keys: keys.map((path) => {
      const direction = sort[path];
      if (direction !== 1 && direction !== -1)
        fail('SORT_CLAUSE_VALUE_INVALID', `The sort on ${path} must be 1 (ascending) or -1 (descending).`);
      if (path.split('.').some((s) => s === ''))
        fail('SORT_CLAUSE_PATH_INVALID', `"${path}" is not a valid document path.`);
      if (!isIndexedPath(settings, path))
        fail(
          'SORT_CLAUSE_PATH_UNINDEXED',
          `The sort uses the path ${path}, which the collection's indexing options leave out.`,
        );
      return { path, descending: direction === -1 };
    }),
  };
}

/**
 * A field sort: per path, the document's own value there (its `direct` index entry) joined in, ordered
 * by kind, then number, then text, so mixed types have one order. Documents without the path sort
 * first ascending; the insertion order breaks ties.
 */
export function sortByFields(
  store: DataStore,
  keys: { path: string; descending: boolean }[],
): { joins: RawBuilder<unknown>; orderBy: RawBuilder<unknown> } {
  const entries = store.table('entries');
  const joins = keys.map(({ path }, i) => {
    const alias = sql.ref(`s${i}`);
    return sql`LEFT JOIN ${entries} ${alias} ON ${sql.ref(`s${i}.seq`)} = d.seq AND ${sql.ref(`s${i}.path`)} = ${path} AND ${sql.ref(`s${i}.direct`)} = 1`;
  });
  const terms = keys.flatMap(({ descending }, i) =>
    ['kind', 'num', 'txt'].map(
      (column) => sql`${sql.ref(`s${i}.${column}`)} ${descending ? sql`DESC NULLS LAST` : sql`ASC NULLS FIRST`}`,
    ),
  );
  return { joins: sql.join(joins, sql` `), orderBy: sql.join([...terms, sql`d.seq`]) };
}
