import { sql } from 'kysely';
import { fail } from '../data-api-errors.js';
import type { ColumnType } from './column-types.js';
import { compareCanon, InvalidValue, toCanon, type Canon } from './column-values.js';
import { isExactObject, type ExactJson } from './exact-json.js';
import { columnList, primaryKeyColumns } from './table-definition.js';
import type { TableScope } from './table-filter.js';
import type { Row } from './table-rows.js';

/**
 * The whole primary key an updateOne or deleteOne names: every key column, each with `$eq` (or a bare
 * value), and nothing else, as CQL needs to address one row.
 */
export function keyFromFilter(filter: ExactJson | undefined, scope: TableScope): Row {
  const { table, keyspace, name } = scope;
  const key = primaryKeyColumns(table);
  if (!isExactObject(filter) || Object.keys(filter).length === 0)
    fail(
      'MISSING_FILTER_FOR_UPDATE_DELETE',
      `updateOne and deleteOne on table ${keyspace}.${name} need a filter on its primary key ${key.join(', ')}.`,
    );
  const others = Object.keys(filter).filter((c) => !key.includes(c));
  const unknown = others.filter((c) => !table.columns[c]);
  if (unknown.length)
    fail(
      'FILTER_UNKNOWN_TABLE_COLUMNS',
      `Table ${keyspace}.${name} has the columns ${columnList(table)}; the filter names unknown columns: ${unknown.join(', ')}.`,
    );
  if (others.length)
    fail(
      'UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE',
      `Table ${keyspace}.${name} has the primary key ${key.join(', ')}; the filter also names ${others.join(', ')}.`,
    );
  const row: Row = {};
  const notEquals: string[] = [];
  for (const [column, spec] of Object.entries(filter)) {
    let value = spec;
    if (isExactObject(spec) && !('$binary' in spec)) {
      const ops = Object.keys(spec);
      if (ops.length !== 1 || ops[0] !== '$eq') {
        notEquals.push(column);
        continue;
      }
      value = spec.$eq!;
    }
    try {
      row[column] = toCanon(table.columns[column]!, value, scope.udts);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      fail(
        'INVALID_FILTER_COLUMN_VALUES',
        `Table ${keyspace}.${name}: the filter's value for ${column} (${table.columns[column]!.type}) is not valid: ${error.message}.`,
      );
    }
  }
  if (notEquals.length)
    fail(
      'UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE',
      `updateOne and deleteOne filter with $eq only; the filter used other operators on ${notEquals.join(', ')}.`,
    );
  const missing = key.filter((c) => row[c] === undefined || row[c] === null);
  if (missing.length)
    fail(
      'MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE',
      `Table ${keyspace}.${name} has the primary key ${key.join(', ')}; the filter misses ${missing.join(', ')}.`,
    );
  return row;
}

const OPERATORS = ['$set', '$unset', '$push', '$pullAll'];

/**
 * Applies `$set`, `$unset`, `$push` and `$pullAll` to the row with the key, as a CQL UPDATE does: the row
 * is created when it does not exist and the update sets a value.
 */
export async function applyUpdate(update: ExactJson | undefined, key: Row, scope: TableScope): Promise<void> {
  const { table, keyspace, name } = scope;
  if (!isExactObject(update) || Object.keys(update).length === 0)
    fail('MISSING_UPDATE_OPERATIONS', 'updateOne needs "update" with at least one of $set, $unset, $push, $pullAll.');
  const unsupported = Object.keys(update).filter((op) => !OPERATORS.includes(op));
  if (unsupported.length)
    fail(
      'UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE',
      `Tables take the update operators ${OPERATORS.join(', ')}; the update used ${unsupported.join(', ')}.`,
    );
  const keyColumns = primaryKeyColumns(table);
  const seen = new Set<string>();
  const changes: { column: string; operator: string; value: ExactJson }[] = [];
  for (const [operator, spec] of Object.entries(update)) {
    if (!isExactObject(spec)) fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `${operator} takes an object of columns.`);
    for (const [column, value] of Object.entries(spec)) {
      if (seen.has(column))
        fail(
          'UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS',
          `Column ${column} is changed by more than one update operator.`,
        );
      seen.add(column);
      changes.push({ column, operator, value });
    }
  }
  const unknown = changes.map((c) => c.column).filter((c) => !table.columns[c]);
  if (unknown.length)
    fail(
      'UPDATE_UNKNOWN_TABLE_COLUMNS',
      `Table ${keyspace}.${name} has the columns ${columnList(table)}; the update names unknown columns: ${unknown.join(', ')}.`,
    );
  const keyed = changes.map((c) => c.column).filter((c) => keyColumns.includes(c));
  if (keyed.length)
    fail(
      'UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS',
      `Table ${keyspace}.${name} has the primary key ${keyColumns.join(', ')}; the update changes ${keyed.join(', ')}.`,
    );
  const notCollections = changes
    .filter(
      (c) =>
        (c.operator === '$push' || c.operator === '$pullAll') &&
        !['list', 'set', 'map'].includes(table.columns[c.column]!.type),
    )
    .map((c) => `${c.operator} on ${c.column}(${table.columns[c.column]!.type})`);
  if (notCollections.length)
    fail(
      'UNSUPPORTED_UPDATE_OPERATOR',
      `$push and $pullAll apply to list, set and map columns; the update used ${notCollections.join(', ')}.`,
    );

  const where = sql.join(
    keyColumns.map((c) => sql`${sql.id(c)} = ${scope.rows.param(c, key[c]!)}`),
    sql` AND `,
  );
  const needsCurrent = changes.some((c) => c.operator === '$push' || c.operator === '$pullAll');
  const [current] = needsCurrent ? await scope.rows.find({ where, limit: 1, forUpdate: true }) : [];
  const row: Row = { ...key };
  const invalid: string[] = [];
  for (const { column, operator, value } of changes) {
    const type = table.columns[column]!;
    try {
      row[column] =
        operator === '$set'
          ? toCanon(type, value, scope.udts)
          : operator === '$unset'
            ? null
            : collectionChange(type, operator, (current?.row[column] ?? null) as Canon[] | null, value, scope);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      invalid.push(`${column}(${type.type}): ${error.message}`);
    }
  }
  if (invalid.length)
    fail(
      'INVALID_UPDATE_COLUMN_VALUES',
      `Table ${keyspace}.${name} has the columns ${columnList(table)}; the update had invalid values: ${invalid.join('; ')}.`,
    );
  // An update that only clears columns creates no row, as in CQL.
  const cleared = Object.keys(row).filter((c) => !keyColumns.includes(c));
  if (cleared.every((c) => row[c] === null)) await scope.rows.clear(cleared, where);
  else await scope.rows.upsert([row]);
}

function collectionChange(
  type: ColumnType,
  operator: string,
  current: Canon[] | null,
  value: ExactJson,
  scope: TableScope,
): Canon | null {
  const items = current ?? [];
  if (operator === '$push') {
    const each = isExactObject(value) && '$each' in value ? value.$each : undefined;
    const added = each !== undefined ? each : type.type === 'map' ? value : [value];
    if (!Array.isArray(added) && type.type !== 'map') throw new InvalidValue('$each takes an array');
    const pushed =
      type.type === 'map' && Array.isArray(added) && each !== undefined
        ? added.flatMap((m) => (toCanon(type, m, scope.udts) as Canon[] | null) ?? [])
        : ((toCanon(type, added, scope.udts) as Canon[] | null) ?? []);
    if (type.type === 'list') return items.length + pushed.length ? [...items, ...pushed] : null;
    const keyOf = (item: Canon) => (type.type === 'map' ? (item as Canon[])[0]! : item);
    const merged = [...items.filter((i) => !pushed.some((p) => compareCanon(keyOf(p), keyOf(i)) === 0)), ...pushed];
    merged.sort((a, b) => compareCanon(keyOf(a), keyOf(b)));
    return merged.length ? merged : null;
  }
  if (!Array.isArray(value)) throw new InvalidValue('$pullAll takes an array');
  const elementType =
    type.type === 'map' ? type.keyType : type.type === 'list' || type.type === 'set' ? type.valueType : type;
  const removed = value.map((v) => toCanon(elementType, v, scope.udts)).filter((v): v is Canon => v !== null);
  const keyOf = (item: Canon) => (type.type === 'map' ? (item as Canon[])[0]! : item);
  const left = items.filter(
    (item) =>
      !removed.some((r) => compareCanon(keyOf(item), r) === 0 && JSON.stringify(keyOf(item)) === JSON.stringify(r)),
  );
  return left.length ? left : null;
}
