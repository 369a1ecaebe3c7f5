import { sql, type RawBuilder } from 'kysely';
import { DataApiError, fail } from '../data-api-errors.js';
import { isScalar, type ColumnType, type UdtLookup } from './column-types.js';
import { InvalidValue, toCanon, type Canon } from './column-values.js';
import { isExactObject, type ExactJson } from './exact-json.js';
import { columnList, primaryKeyColumns, type TableDefinition } from './table-definition.js';
import type { TableRows } from './table-rows.js';

const OPERATORS = ['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte'] as const;
export type FilterOperator = (typeof OPERATORS)[number];
const COMPARISONS: readonly FilterOperator[] = ['$lt', '$lte', '$gt', '$gte'];
const SQL_COMPARISON = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' } as const;

/** One column condition of a filter. */
export interface FilterLeaf {
  column: string;
  operator: FilterOperator;
  /** True when it sits directly in the filter's top-level AND (not under $or). */
  topLevel: boolean;
}

export interface CompiledFilter {
  where: RawBuilder<unknown>;
  leaves: FilterLeaf[];
}

export interface TableScope {
  keyspace: string;
  name: string;
  table: TableDefinition;
  rows: TableRows;
  udts: UdtLookup;
  sqlite: boolean;
  /** Values one $in or $nin may hold. */
  maxInValues: number;
}

/**
 * A table filter in SQL: `{column: value}`, `{column: {$op: value}}` with $eq, $ne, $in, $nin, $lt, $lte,
 * $gt, $gte, and $and / $or of such. Values are checked and made canonical by the column's type.
 */
export function compileTableFilter(filter: ExactJson | undefined, scope: TableScope): CompiledFilter {
  if (filter === undefined || filter === null) return { where: sql`1 = 1`, leaves: [] };
  if (!isExactObject(filter)) fail('FILTER_INVALID_EXPRESSION', 'The filter must be a JSON object.');
  const leaves: FilterLeaf[] = [];
  const where = conjunction(filter, scope, leaves, true);
  const unknown = [...new Set(leaves.map((l) => l.column).filter((c) => !scope.table.columns[c]))];
  if (unknown.length)
    fail(
      'FILTER_UNKNOWN_TABLE_COLUMNS',
      `Table ${scope.keyspace}.${scope.name} has the columns ${columnList(scope.table)}; the filter names unknown columns: ${unknown.join(', ')}.`,
    );
  return { where, leaves };
}

function conjunction(filter: Record<string, ExactJson>, scope: TableScope, leaves: FilterLeaf[], top: boolean) {
  const terms: RawBuilder<unknown>[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0 || !value.every(isExactObject))
        fail('FILTER_INVALID_EXPRESSION', `${key} takes a non-empty array of filter objects.`);
      const parts = value.map((part) =>
        conjunction(part as Record<string, ExactJson>, scope, leaves, top && key === '$and'),
      );
      terms.push(sql`(${sql.join(parts, sql` ${sql.raw(key === '$and' ? 'AND' : 'OR')} `)})`);
    } else if (key.startsWith('$')) {
      fail('FILTER_UNSUPPORTED_OPERATOR', `filter operator ${key}: tables take $and and $or at the top of a filter.`);
    } else {
      terms.push(...columnTerms(key, value, scope, leaves, top));
    }
  }
  return terms.length ? sql`(${sql.join(terms, sql` AND `)})` : sql`1 = 1`;
}

function columnTerms(column: string, value: ExactJson, scope: TableScope, leaves: FilterLeaf[], top: boolean) {
  const columnType = scope.table.columns[column];
  if (columnType?.type === 'list' || columnType?.type === 'set' || columnType?.type === 'map')
    return collectionTerms(column, columnType, value, scope, leaves, top);
  const operators =
    isExactObject(value) && Object.keys(value).some((k) => k.startsWith('$')) && !('$binary' in value)
      ? Object.entries(value)
      : [['$eq', value] as [string, ExactJson]];
  return operators.map(([operator, operand]) => {
    if (!(OPERATORS as readonly string[]).includes(operator))
      fail(
        'FILTER_UNSUPPORTED_OPERATOR',
        `filter operator ${operator} on column ${column}; tables take ${OPERATORS.join(', ')}.`,
      );
    const op = operator as FilterOperator;
    leaves.push({ column, operator: op, topLevel: top });
    const type = scope.table.columns[column];
    if (!type) return sql`1 = 0`;
    if (!isScalar(type))
      fail(
        'UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES',
        `Table ${scope.keyspace}.${scope.name} has the columns ${columnList(scope.table)}; filters on list, set, map, vector and user-defined columns are not supported, and the filter used ${column}.`,
      );
    if (type.type === 'duration' && COMPARISONS.includes(op))
      fail(
        'UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION',
        `Table ${scope.keyspace}.${scope.name} has the columns ${columnList(scope.table)}; durations cannot be compared with $lt, $gt, $lte or $gte, and the filter compared ${column}.`,
      );
    const many = op === '$in' || op === '$nin';
    if (many && !Array.isArray(operand))
      fail('FILTER_INVALID_EXPRESSION', `${op} on ${column} takes an array of values.`);
    if (many && (operand as ExactJson[]).length > scope.maxInValues)
      fail('FILTER_FIELDS_LIMIT_VIOLATION', `${op} on ${column} holds at most ${scope.maxInValues} values.`);
    const values = (many ? (operand as ExactJson[]) : [operand]).map((v) => filterValue(column, v, scope));
    return leafSql(column, op, values, scope);
  });
}

type CollectionType = Extract<ColumnType, { type: 'list' | 'set' | 'map' }>;

/**
 * Filters on list, set and map columns: `$in` (some element is one of the values), `$nin` (none is),
 * `$all` (every value is an element); a map's entries as `[key, value]` pairs, or its `$keys` or `$values`.
 * Elements are compared as the JSON text of their canonical values.
 */
function collectionTerms(
  column: string,
  type: CollectionType,
  value: ExactJson,
  scope: TableScope,
  leaves: FilterLeaf[],
  top: boolean,
): RawBuilder<unknown>[] {
  const invalid = (reason: string): never =>
    fail(
      'INVALID_MAP_SET_LIST_FILTER',
      `${reason}; a ${type.type} column such as ${column} is filtered with $in, $nin or $all${type.type === 'map' ? ' on its [key, value] entries, its $keys or its $values' : ''}.`,
    );
  if (!isExactObject(value)) return invalid(`the filter gives ${column} a single value`);
  let part: 'elements' | 'entries' | 'keys' | 'values' = type.type === 'map' ? 'entries' : 'elements';
  let spec: ExactJson | undefined = value;
  if (type.type === 'map' && ('$keys' in value || '$values' in value)) {
    if (Object.keys(value).length !== 1) invalid('$keys and $values stand alone');
    part = '$keys' in value ? 'keys' : 'values';
    spec = value.$keys ?? value.$values;
  }
  if (!isExactObject(spec)) return invalid(`the filter on ${column} is not an object of operators`);
  return Object.entries(spec).map(([op, operand]) => {
    if (op !== '$in' && op !== '$nin' && op !== '$all') return invalid(`${op} does not apply to ${column}`);
    if (!Array.isArray(operand) || operand.length === 0) return invalid(`${op} takes a non-empty array`);
    if (operand.length > scope.maxInValues)
      fail('FILTER_FIELDS_LIMIT_VIOLATION', `${op} on ${column} holds at most ${scope.maxInValues} values.`);
    leaves.push({ column, operator: op === '$nin' ? '$nin' : '$in', topLevel: top });
    const texts = operand.map((item) => JSON.stringify(collectionElement(column, type, part, item, scope)));
    const exists = (matching: RawBuilder<unknown>) =>
      scope.sqlite
        ? sql`EXISTS (SELECT 1 FROM json_each(${sql.id(column)}) e WHERE ${elementText(part, true, column)} ${matching})`
        : sql`EXISTS (SELECT 1 FROM json_array_elements(${sql.id(column)}::json) e(v) WHERE ${elementText(part, false, column)} ${matching})`;
    if (op === '$all')
      return sql`(${sql.join(
        texts.map((t) => exists(sql`= ${t}`)),
        sql` AND `,
      )})`;
    const any = exists(sql`IN (${sql.join(texts)})`);
    return op === '$in' ? any : sql`NOT ${any}`;
  });
}

function collectionElement(
  column: string,
  type: CollectionType,
  part: string,
  item: ExactJson,
  scope: TableScope,
): Canon {
  const parse = (elementType: ColumnType, v: ExactJson | undefined) =>
    filterValue(column, v ?? null, scope, elementType);
  if (type.type !== 'map') return parse(type.valueType, item);
  if (part === 'keys') return parse(type.keyType, item);
  if (part === 'values') return parse(type.valueType, item);
  if (!Array.isArray(item) || item.length !== 2)
    fail('INVALID_MAP_SET_LIST_FILTER', `A filter on the entries of ${column} lists [key, value] pairs.`);
  return [parse(type.keyType, item[0]), parse(type.valueType, item[1])];
}

/** The JSON text of each element of a stored collection (SQLite's `->` and PostgreSQL's json keep it). */
function elementText(part: string, sqlite: boolean, column: string): RawBuilder<unknown> {
  if (sqlite) {
    const path =
      part === 'keys' ? sql`e.fullkey || '[0]'` : part === 'values' ? sql`e.fullkey || '[1]'` : sql`e.fullkey`;
    return sql`(${sql.id(column)} -> (${path}))`;
  }
  return part === 'keys' ? sql`(e.v -> 0)::text` : part === 'values' ? sql`(e.v -> 1)::text` : sql`e.v::text`;
}

function filterValue(column: string, value: ExactJson, scope: TableScope, type = scope.table.columns[column]!): Canon {
  try {
    const canon = toCanon(type, value, scope.udts);
    if (canon === null) throw new InvalidValue('null');
    return canon;
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    return fail(
      'INVALID_FILTER_COLUMN_VALUES',
      `Table ${scope.keyspace}.${scope.name} has the columns ${columnList(scope.table)}; the filter's value for ${column} (${type.type}) is not valid: ${error.message}.`,
    );
  }
}

function leafSql(column: string, op: FilterOperator, values: Canon[], scope: TableScope): RawBuilder<unknown> {
  const type = scope.table.columns[column]!.type;
  const insensitive = scope.table.indexes.some(
    (i) => i.column === column && i.kind === 'regular' && i.options.caseSensitive === false,
  );
  // SQLite keeps varints and decimals as exact text; order comparisons go through their numeric value.
  const numericText = scope.sqlite && (type === 'varint' || type === 'decimal') && COMPARISONS.includes(op);
  const wrap = (x: RawBuilder<unknown>) => (insensitive ? sql`lower(${x})` : numericText ? sql`CAST(${x} AS REAL)` : x);
  const ref = wrap(sql.id(column));
  const params = values.map((v) => wrap(sql`${scope.rows.param(column, v)}`));
  switch (op) {
    case '$eq':
      return sql`${ref} = ${params[0]!}`;
    case '$ne':
      return sql`${ref} <> ${params[0]!}`;
    case '$in':
      return params.length ? sql`${ref} IN (${sql.join(params)})` : sql`1 = 0`;
    case '$nin':
      return params.length ? sql`${ref} NOT IN (${sql.join(params)})` : sql`${ref} IS NOT NULL`;
    default:
      return sql`${ref} ${sql.raw(SQL_COMPARISON[op])} ${params[0]!}`;
  }
}

/** Columns a regular index serves (scalar columns indexed whole). */
export function indexedColumns(table: TableDefinition): string[] {
  return table.indexes.filter((i) => i.kind === 'regular' && !i.target).map((i) => i.column);
}

/** Columns the filter restricts to single values ($eq or $in) in its top-level AND. */
export function pinned(leaves: FilterLeaf[]): Set<string> {
  return new Set(
    leaves.filter((l) => l.topLevel && (l.operator === '$eq' || l.operator === '$in')).map((l) => l.column),
  );
}

// Index lookups on these types answer equality only; anything else reads past the index.
const EQUALITY_ONLY = ['text', 'ascii', 'varchar', 'boolean', 'uuid', 'timeuuid', 'inet', 'blob', 'duration'];

/**
 * The reference server's warnings for a read filter that the primary key and the indexes do not serve:
 * the read still runs, by scanning the table.
 */
export function filterWarnings(filter: CompiledFilter, scope: TableScope): DataApiError[] {
  const { table, keyspace, name } = scope;
  const key = primaryKeyColumns(table);
  const indexed = indexedColumns(table);
  const described = `Table ${keyspace}.${name} has the primary key ${key.join(', ')} and indexes on ${indexed.join(', ') || 'no columns'}`;
  const warnings: DataApiError[] = [];
  const leaves = filter.leaves;
  if (leaves.length === 0) {
    warnings.push(
      new DataApiError('ZERO_FILTER_OPERATIONS', `${described}; the filter is empty, so every row is read.`),
    );
    return warnings;
  }
  const unindexed = unique(
    leaves
      .filter((l) =>
        key.includes(l.column) ? l.operator === '$ne' || l.operator === '$nin' : !indexed.includes(l.column),
      )
      .map((l) => l.column),
  );
  if (unindexed.length)
    warnings.push(
      new DataApiError(
        'MISSING_INDEX',
        `${described}; the filter uses the unindexed columns ${unindexed.join(', ')}, so rows are scanned.`,
      ),
    );
  const onIndexes = leaves.filter((l) => indexed.includes(l.column) && !key.includes(l.column));
  const inefficient = (ops: FilterOperator[]) =>
    unique(
      onIndexes
        .filter((l) => ops.includes(l.operator) && EQUALITY_ONLY.includes(table.columns[l.column]!.type))
        .map((l) => l.column),
    );
  const notEquals = inefficient(['$ne']);
  if (notEquals.length)
    warnings.push(
      new DataApiError(
        'NOT_EQUALS_UNSUPPORTED_BY_INDEXING',
        `${described}; $ne on ${columnList(table, notEquals)} reads past the index.`,
      ),
    );
  const notIn = inefficient(['$nin']);
  if (notIn.length)
    warnings.push(
      new DataApiError(
        'NOT_IN_FILTER_UNSUPPORTED_BY_INDEXING',
        `${described}; $nin on ${columnList(table, notIn)} reads past the index.`,
      ),
    );
  const compared = inefficient([...COMPARISONS]);
  if (compared.length)
    warnings.push(
      new DataApiError(
        'COMPARISON_FILTER_UNSUPPORTED_BY_INDEXING',
        `${described}; $lt, $gt, $lte or $gte on ${columnList(table, compared)} reads past the index.`,
      ),
    );
  const { missingPartition, outOfOrder } = keyGaps(filter.leaves, table);
  if (leaves.some((l) => key.includes(l.column)) && (missingPartition.length || outOfOrder.length))
    warnings.push(
      new DataApiError(
        'INCOMPLETE_PRIMARY_KEY_FILTER',
        `${described}; the filter misses the partition columns [${missingPartition.join(', ')}] and names partition sort columns out of order [${outOfOrder.join(', ')}].`,
      ),
    );
  return warnings;
}

/** Partition columns the filter does not pin, and clustering columns filtered after one it skipped. */
export function keyGaps(
  leaves: FilterLeaf[],
  table: TableDefinition,
): { missingPartition: string[]; outOfOrder: string[] } {
  const fixed = pinned(leaves);
  const filtered = new Set(leaves.map((l) => l.column));
  const missingPartition = table.partitionBy.filter((c) => !fixed.has(c));
  const outOfOrder: string[] = [];
  let open = true;
  for (const [column] of table.partitionSort) {
    if (!open && filtered.has(column)) outOfOrder.push(column);
    if (!fixed.has(column)) open = false;
  }
  return { missingPartition, outOfOrder };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
