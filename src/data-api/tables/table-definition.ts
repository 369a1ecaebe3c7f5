import { fail } from '../data-api-errors.js';
import type { CollectionRecord } from '../schema-store.js';
import type { Metric } from '../vectors.js';
import { describeType, isScalar, parseColumnType, type ColumnType, type UdtLookup } from './column-types.js';
import { isExactObject, plainNumber, type ExactJson } from './exact-json.js';

/** A secondary index: regular (equality and ranges), vector (similarity sort) or text (lexical). */
export interface TableIndex {
  name: string;
  column: string;
  kind: 'regular' | 'vector' | 'text';
  /** What of a map, set or list column the index holds. */
  target?: '$keys' | '$values' | '$entries';
  options: {
    caseSensitive?: boolean;
    normalize?: boolean;
    ascii?: boolean;
    metric?: Metric;
    sourceModel?: string;
    analyzer?: unknown;
  };
}

/** What a table is: its columns in order, its primary key, and its indexes. Kept as the table's settings. */
export interface TableDefinition {
  columns: Record<string, ColumnType>;
  partitionBy: string[];
  /** Clustering columns in order, with their direction. */
  partitionSort: [string, 1 | -1][];
  indexes: TableIndex[];
}

export const SCHEMA_NAME = /^[A-Za-z0-9_]{1,48}$/;

export function tableOf(record: CollectionRecord): TableDefinition {
  return record.settings as unknown as TableDefinition;
}

export function primaryKeyColumns(table: TableDefinition): string[] {
  return [...table.partitionBy, ...table.partitionSort.map(([column]) => column)];
}

/** `name(type)` for each column, as the errors list a table's columns. */
export function columnList(table: TableDefinition, names: readonly string[] = Object.keys(table.columns)): string {
  return names.map((name) => `${name}(${table.columns[name]?.type ?? 'unknown'})`).join(', ');
}

export function checkSchemaName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !SCHEMA_NAME.test(name))
    fail(
      'UNSUPPORTED_SCHEMA_NAME',
      `A ${kind} name is 1 to 48 letters, digits and underscores; ${JSON.stringify(name ?? null)} is not one.`,
    );
  return name;
}

/** The definition of createTable: `{columns: {...}, primaryKey: "id" | {partitionBy, partitionSort}}`. */
export function parseTableDefinition(definition: ExactJson | undefined, udts: UdtLookup): TableDefinition {
  if (!isExactObject(definition) || !isExactObject(definition.columns) || Object.keys(definition.columns).length === 0)
    fail(
      'COMMAND_FIELD_VALUE_INVALID',
      'createTable needs "definition" with "columns", an object of at least one column.',
    );
  const columns: Record<string, ColumnType> = {};
  for (const [name, spec] of Object.entries(definition.columns)) {
    checkColumnName(name);
    if (isExactObject(spec) && spec.service !== undefined && spec.service !== null)
      fail('VECTORIZE_FEATURE_NOT_AVAILABLE', `Column ${name}: this server computes no embeddings (vectorize).`);
    columns[name] = parseColumnType(name, spec, udts);
  }
  const { partitionBy, partitionSort } = parsePrimaryKey(definition.primaryKey, columns);
  return { columns, partitionBy, partitionSort, indexes: [] };
}

export function checkColumnName(name: string): void {
  if (name === '' || name.length > 48 || name.startsWith('$'))
    fail('COMMAND_FIELD_VALUE_INVALID', `"${name}" is not a column name: 1 to 48 characters, not starting with $.`);
}

function parsePrimaryKey(
  spec: ExactJson | undefined,
  columns: Record<string, ColumnType>,
): { partitionBy: string[]; partitionSort: [string, 1 | -1][] } {
  const key = typeof spec === 'string' ? { partitionBy: [spec] } : spec;
  if (!isExactObject(key) || !Array.isArray(key.partitionBy) || !key.partitionBy.every((c) => typeof c === 'string'))
    fail(
      'PRIMARY_KEY_DEFINITION_INCORRECT',
      'The primary key is a column name, or {"partitionBy": [columns], "partitionSort": {column: 1 or -1}}.',
    );
  const partitionBy = key.partitionBy;
  const names = Object.keys(columns);
  if (partitionBy.length === 0)
    fail(
      'MISSING_PARTITION_COLUMNS',
      `The table needs at least one partition column; its columns are ${names.join(', ')}.`,
    );
  const unknown = partitionBy.filter((c) => !columns[c]);
  if (unknown.length)
    fail(
      'UNKNOWN_PARTITION_COLUMNS',
      `The columns are ${names.join(', ')}; the partition names unknown ${unknown.join(', ')}.`,
    );
  const sortSpec = key.partitionSort ?? {};
  if (!isExactObject(sortSpec)) fail('PRIMARY_KEY_DEFINITION_INCORRECT', '"partitionSort" must be {column: 1 or -1}.');
  const partitionSort: [string, 1 | -1][] = Object.entries(sortSpec).map(([column, direction]) => {
    const d = plainNumber(direction);
    if (d !== 1 && d !== -1)
      fail(
        'PRIMARY_KEY_DEFINITION_INCORRECT',
        `The partition sort of ${column} must be 1 (ascending) or -1 (descending).`,
      );
    return [column, d];
  });
  const unknownSort = partitionSort.filter(([c]) => !columns[c]).map(([c]) => c);
  if (unknownSort.length)
    fail(
      'UNKNOWN_PARTITION_SORT_COLUMNS',
      `The columns are ${names.join(', ')}; the partition sort names unknown ${unknownSort.join(', ')}.`,
    );
  const all = [...partitionBy, ...partitionSort.map(([c]) => c)];
  if (new Set(all).size !== all.length)
    fail('PRIMARY_KEY_DEFINITION_INCORRECT', `A column appears twice in the primary key: ${all.join(', ')}.`);
  const unkeyable = all.filter((c) => !isScalar(columns[c]!) || columns[c].type === 'duration');
  if (unkeyable.length)
    fail(
      'PRIMARY_KEY_DEFINITION_INCORRECT',
      `Primary key columns must be of a scalar type other than duration; ${unkeyable.join(', ')} are not.`,
    );
  return { partitionBy, partitionSort };
}

/** The table as listTables and the clients' definition() show it. */
export function describeTable(table: TableDefinition, udts: UdtLookup): Record<string, unknown> {
  return {
    columns: describeColumns(table, Object.keys(table.columns), udts),
    primaryKey: { partitionBy: table.partitionBy, partitionSort: Object.fromEntries(table.partitionSort) },
  };
}

/** Column name to described type, for listTables, primaryKeySchema and projectionSchema. */
export function describeColumns(
  table: TableDefinition,
  names: readonly string[],
  udts: UdtLookup,
): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, describeType(table.columns[name]!, udts)]));
}

/** The index as listIndexes shows it. */
export function describeIndex(index: TableIndex): Record<string, unknown> {
  const options = Object.fromEntries(Object.entries(index.options).filter(([, v]) => v !== undefined));
  return {
    name: index.name,
    definition: {
      column: index.target ? { [index.column]: index.target } : index.column,
      options,
    },
    indexType: index.kind,
  };
}
