import { sql, type RawBuilder } from 'kysely';
import { DataApiError, fail } from '../data-api-errors.js';
import type { Metric } from '../vectors.js';
import { toCanon, toWire, InvalidValue } from './column-values.js';
import { isExactObject, isLosslessNumber, plainNumber, type ExactJson } from './exact-json.js';
import { columnList, describeColumns, primaryKeyColumns } from './table-definition.js';
import { pinned, type FilterLeaf, type TableScope } from './table-filter.js';
import type { FoundRow } from './table-rows.js';

/**
 * How a read is ordered: by the primary key (also when the sort names the partition sort columns in
 * order within one partition), in memory (any other sort, with a warning, one page only), or by
 * similarity to a vector.
 */
export type TableSort =
  | { kind: 'key'; orderBy?: RawBuilder<unknown>; warnings: DataApiError[] }
  | { kind: 'memory'; orderBy: RawBuilder<unknown>; warnings: DataApiError[] }
  | { kind: 'vector'; column: string; vector: Float32Array; metric: Metric; warnings: DataApiError[] };

export function parseTableSort(sort: ExactJson | undefined, scope: TableScope, leaves: FilterLeaf[]): TableSort {
  if (sort === undefined || sort === null) return { kind: 'key', warnings: [] };
  if (!isExactObject(sort)) fail('SORT_CLAUSE_INVALID', 'The sort clause must be a JSON object.');
  const { table, keyspace, name } = scope;
  const entries = Object.entries(sort);
  if (entries.length === 0) return { kind: 'key', warnings: [] };
  const described = `Table ${keyspace}.${name} has the columns ${columnList(table)}`;
  const unknown = entries.map(([c]) => c).filter((c) => !table.columns[c]);
  if (unknown.length)
    fail('CANNOT_SORT_UNKNOWN_COLUMNS', `${described}; the sort names unknown columns: ${unknown.join(', ')}.`);

  const vectorColumns = Object.keys(table.columns).filter((c) => table.columns[c]!.type === 'vector');
  const vectorSorts = entries.filter(
    ([, v]) => Array.isArray(v) || typeof v === 'string' || (isExactObject(v) && '$binary' in v),
  );
  if (vectorSorts.length) {
    const sortColumns = vectorSorts.map(([c]) => c);
    if (vectorSorts.length > 1)
      fail(
        'CANNOT_SORT_ON_MULTIPLE_VECTORS',
        `The vector columns are ${vectorColumns.join(', ')}; the sort names ${sortColumns.join(', ')}.`,
      );
    const [column, value] = vectorSorts[0]!;
    const type = table.columns[column]!;
    if (type.type !== 'vector')
      fail(
        'CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS',
        `The vector columns are ${vectorColumns.join(', ') || 'none'}; ${column} is ${type.type}.`,
      );
    if (entries.length > 1)
      fail(
        'CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS',
        `A vector sort stands alone; the sort also names ${entries
          .map(([c]) => c)
          .filter((c) => c !== column)
          .join(', ')}.`,
      );
    if (typeof value === 'string')
      fail(
        'CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION',
        `Column ${column} has no vectorize definition; sort with a vector.`,
      );
    const index = table.indexes.find((i) => i.kind === 'vector' && i.column === column);
    if (!index)
      fail(
        'CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS',
        `The vector columns are ${vectorColumns.join(', ')}, indexed: ${
          table.indexes
            .filter((i) => i.kind === 'vector')
            .map((i) => i.column)
            .join(', ') || 'none'
        }; the sort names ${column}.`,
      );
    const length = Array.isArray(value) ? value.length : undefined;
    if (length !== undefined && length !== type.dimension)
      fail(
        'CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS',
        `Column ${column} holds vectors of ${type.dimension} dimensions; the sort vector has ${length}.`,
      );
    let vector: Float32Array;
    try {
      vector = toCanon(type, value, scope.udts) as Float32Array;
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      return fail('INVALID_VECTOR_SORT_EXPRESSION', `The sort vector for ${column} is not valid: ${error.message}.`);
    }
    return { kind: 'vector', column, vector, metric: index.options.metric ?? 'cosine', warnings: [] };
  }

  const keys = entries.map(([column, direction]) => {
    const d = plainNumber(direction);
    if (d !== 1 && d !== -1)
      fail(
        'INVALID_REGULAR_SORT_EXPRESSION',
        `The sort of ${column} is ${isLosslessNumber(direction) ? direction.value : JSON.stringify(direction)}; a regular sort takes 1 (ascending) or -1 (descending).`,
      );
    return [column, d] as const;
  });
  const warning = byKeyOrder(keys, scope, leaves);
  if (!warning) {
    const reversed = keys[0]![1] !== table.partitionSort[0]![1];
    const order = table.partitionSort.map(([c, d]) =>
      (d === 1) !== reversed ? sql`${sql.id(c)}` : sql`${sql.id(c)} DESC`,
    );
    return { kind: 'key', orderBy: sql.join(order), warnings: [] };
  }
  const key = primaryKeyColumns(table);
  const orderBy = sql.join([
    ...keys.map(([c, d]) => (d === 1 ? sql`${sql.id(c)}` : sql`${sql.id(c)} DESC`)),
    ...key.map((c) => sql`${sql.id(c)}`),
  ]);
  return { kind: 'memory', orderBy, warnings: [warning] };
}

/** Null when the partition's stored order serves the sort; otherwise the reference server's warning for it. */
function byKeyOrder(keys: (readonly [string, 1 | -1])[], scope: TableScope, leaves: FilterLeaf[]): DataApiError | null {
  const { table, keyspace, name } = scope;
  const clustering = table.partitionSort.map(([c]) => c);
  const sorted = keys.map(([c]) => c);
  const about = `Table ${keyspace}.${name} sorts its partitions by [${clustering.join(', ')}]; the sort names [${sorted.join(', ')}]`;
  if (!sorted.every((c) => clustering.includes(c)))
    return new DataApiError(
      'IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING',
      `${about}, so rows are sorted in memory.`,
    );
  const fixed = pinned(leaves);
  if (!table.partitionBy.every((c) => fixed.has(c)))
    return new DataApiError(
      'IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED',
      `${about}; the filter does not fix the partition columns [${table.partitionBy.join(', ')}] with $eq, so rows are sorted in memory.`,
    );
  const positions = sorted.map((c) => clustering.indexOf(c));
  if (positions.some((p, i) => i > 0 && p < positions[i - 1]!))
    return new DataApiError(
      'IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING',
      `${about} in another order, so rows are sorted in memory.`,
    );
  if (positions.some((p, i) => p !== i))
    return new DataApiError(
      'IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING',
      `${about}, skipping some, so rows are sorted in memory.`,
    );
  const flipped = keys.map(([c, d]) => d !== table.partitionSort.find(([k]) => k === c)![1]);
  if (flipped.some((f) => f !== flipped[0]))
    return new DataApiError(
      'IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING',
      `${about} with mixed directions, so rows are sorted in memory.`,
    );
  return null;
}

/** The columns a projection keeps, in the table's order: `{col: 1, ...}` keeps, `{col: 0, ...}` drops. */
export function projectedColumns(projection: ExactJson | undefined, scope: TableScope): string[] {
  const all = Object.keys(scope.table.columns);
  if (projection === undefined || projection === null) return all;
  if (!isExactObject(projection)) fail('UNSUPPORTED_PROJECTION_DEFINITION', 'The projection must be a JSON object.');
  const entries = Object.entries(projection).filter(([c]) => c !== '$similarity');
  if (entries.length === 0) return all;
  const flags = entries.map(([column, value]) => {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : plainNumber(value);
    if (n !== 0 && n !== 1)
      fail('UNSUPPORTED_PROJECTION_PARAM', `The projection of ${column} must be 1, 0, true or false.`);
    return [column, n === 1] as const;
  });
  const star = flags.find(([c]) => c === '*');
  if (star) return star[1] ? all : [];
  if (flags.some(([, keep]) => keep !== flags[0]![1]))
    fail('UNSUPPORTED_PROJECTION_DEFINITION', 'A projection either keeps columns (1) or drops them (0), not both.');
  const unknown = flags.map(([c]) => c).filter((c) => !scope.table.columns[c]);
  if (unknown.length)
    fail(
      'PROJECTION_UNKNOWN_TABLE_COLUMNS',
      `Table ${scope.keyspace}.${scope.name} has the columns ${columnList(scope.table)}; the projection names unknown columns: ${unknown.join(', ')}.`,
    );
  const named = new Set(flags.map(([c]) => c));
  return all.filter((c) => named.has(c) === flags[0]![1]);
}

/** A row as the response carries it: projected, null columns left out, `$similarity` when asked for. */
export function presentRow(
  found: FoundRow,
  columns: string[],
  scope: TableScope,
  includeSimilarity = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const value = found.row[column];
    if (value !== null && value !== undefined) out[column] = toWire(scope.table.columns[column]!, value, scope.udts);
  }
  if (includeSimilarity && found.similarity !== undefined) out.$similarity = found.similarity;
  return out;
}

export function projectionSchema(
  columns: string[],
  scope: TableScope,
  includeSimilarity = false,
): Record<string, unknown> {
  const schema = describeColumns(scope.table, columns, scope.udts);
  return includeSimilarity ? { ...schema, $similarity: { type: 'float' } } : schema;
}
