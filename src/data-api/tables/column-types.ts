import type { Dialect } from '../../store/database.js';
import { fail } from '../data-api-errors.js';
import { isExactObject, plainNumber, type ExactJson } from './exact-json.js';

export const SCALAR_TYPES = [
  'text',
  'ascii',
  'varchar',
  'int',
  'bigint',
  'smallint',
  'tinyint',
  'varint',
  'decimal',
  'float',
  'double',
  'boolean',
  'date',
  'time',
  'timestamp',
  'duration',
  'uuid',
  'timeuuid',
  'inet',
  'blob',
  'counter',
] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** A column's type as the table records it; user-defined types by name, resolved against the keyspace's types. */
export type ColumnType =
  | { type: ScalarType }
  | { type: 'list' | 'set'; valueType: ColumnType }
  | { type: 'map'; keyType: ColumnType; valueType: ColumnType }
  | { type: 'vector'; dimension: number }
  | { type: 'userDefined'; udtName: string };

/** The fields of a user-defined type, by name, in their order. */
export interface UdtDefinition {
  fields: Record<string, ColumnType>;
}
export type UdtLookup = (name: string) => UdtDefinition | undefined;

export function isScalar(type: ColumnType): type is { type: ScalarType } {
  return (SCALAR_TYPES as readonly string[]).includes(type.type);
}

const MAX_VECTOR_DIMENSION = 4096;

/**
 * A column definition as clients send it: `"text"` or `{"type": "text"}`, `{"type": "list", "valueType": ...}`,
 * `{"type": "map", "keyType": ..., "valueType": ...}`, `{"type": "vector", "dimension": n}`,
 * `{"type": "userDefined", "udtName": ...}`. Collections hold scalars or user-defined types, as on Astra.
 */
export function parseColumnType(name: string, definition: ExactJson | undefined, udts: UdtLookup): ColumnType {
  const spec = typeof definition === 'string' ? { type: definition } : definition;
  if (!isExactObject(spec) || typeof spec.type !== 'string')
    fail('COLUMN_TYPE_INCORRECT', `The definition of column ${name} has no "type", or is not a string or an object.`);
  const type = spec.type;
  if ((SCALAR_TYPES as readonly string[]).includes(type)) {
    if (type === 'counter')
      fail(
        'UNSUPPORTED_DATA_TYPE_TABLE_CREATION',
        `Column ${name}: counter columns cannot be created through the Data API.`,
      );
    return { type: type as ScalarType };
  }
  switch (type) {
    case 'list':
    case 'set': {
      const valueType = elementType(
        name,
        spec.valueType,
        udts,
        type === 'list' ? 'UNSUPPORTED_LIST_DEFINITION' : 'UNSUPPORTED_SET_DEFINITION',
      );
      return { type, valueType };
    }
    case 'map': {
      const keyType = elementType(name, spec.keyType, udts, 'UNSUPPORTED_MAP_DEFINITION');
      if (keyType.type === 'userDefined')
        fail('UNSUPPORTED_MAP_DEFINITION', `Column ${name}: a map's keys cannot be of a user-defined type.`);
      return { type, keyType, valueType: elementType(name, spec.valueType, udts, 'UNSUPPORTED_MAP_DEFINITION') };
    }
    case 'vector': {
      const dimension =
        plainNumber(spec.dimension) ?? (typeof spec.dimension === 'number' ? spec.dimension : undefined);
      if (dimension === undefined)
        fail('MISSING_DIMENSION_IN_VECTOR_COLUMN', `Column ${name}: a vector column needs its "dimension".`);
      if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_VECTOR_DIMENSION)
        fail(
          'UNSUPPORTED_VECTOR_DIMENSION',
          `Column ${name}: the dimension must be a whole number from 1 to ${MAX_VECTOR_DIMENSION}; it is ${String(dimension)}.`,
        );
      return { type, dimension };
    }
    case 'userDefined': {
      const udtName = spec.udtName;
      if (typeof udtName !== 'string' || udtName === '')
        fail('INVALID_USER_DEFINED_TYPE_NAME', `Column ${name}: "udtName" must name a user-defined type.`);
      if (!udts(udtName))
        fail('UNKNOWN_USER_DEFINED_TYPE', `Column ${name}: the keyspace has no type named ${udtName}.`);
      return { type, udtName };
    }
    default:
      return fail(
        'UNKNOWN_PRIMITIVE_DATA_TYPE',
        `Column ${name} has the unknown type "${type}"; the types are ${[...SCALAR_TYPES.filter((t) => t !== 'counter'), 'list', 'set', 'map', 'vector', 'userDefined'].join(', ')}.`,
      );
  }
}

function elementType(
  column: string,
  definition: ExactJson | undefined,
  udts: UdtLookup,
  code: 'UNSUPPORTED_LIST_DEFINITION' | 'UNSUPPORTED_SET_DEFINITION' | 'UNSUPPORTED_MAP_DEFINITION',
): ColumnType {
  if (definition === undefined || definition === null)
    fail(code, `Column ${column}: the definition needs the type of its elements.`);
  const type = parseColumnType(column, definition, udts);
  if (!isScalar(type) && type.type !== 'userDefined')
    fail(code, `Column ${column}: elements must be of a scalar or user-defined type, not ${type.type}.`);
  return type;
}

/** The field types of a user-defined type as sent to createType/alterType: scalars and collections of scalars. */
export function parseUdtFields(definition: ExactJson | undefined): Record<string, ColumnType> {
  if (!isExactObject(definition) || Object.keys(definition).length === 0)
    fail('MISSING_FIELDS_FOR_TYPE_CREATION', 'A user-defined type needs at least one field in "fields".');
  const fields: Record<string, ColumnType> = {};
  for (const [name, spec] of Object.entries(definition)) {
    const type = parseColumnType(name, spec, () => undefined);
    if (type.type === 'vector' || type.type === 'userDefined')
      fail('UNSUPPORTED_TYPE_FIELDS', `Field ${name}: a user-defined type holds scalars and collections of scalars.`);
    fields[name] = type;
  }
  return fields;
}

/** A column type as listTables, projectionSchema and primaryKeySchema show it (never in shorthand). */
export function describeType(type: ColumnType, udts: UdtLookup): Record<string, unknown> {
  switch (type.type) {
    case 'list':
    case 'set':
      return { type: type.type, valueType: describeElement(type.valueType, udts) };
    case 'map':
      return {
        type: 'map',
        keyType: describeElement(type.keyType, udts),
        valueType: describeElement(type.valueType, udts),
      };
    case 'vector':
      return { type: 'vector', dimension: type.dimension };
    case 'userDefined':
      return { type: 'userDefined', udtName: type.udtName, definition: describeUdt(udts(type.udtName), udts) };
    default:
      return { type: type.type };
  }
}

function describeElement(type: ColumnType, udts: UdtLookup): unknown {
  return isScalar(type) ? type.type : describeType(type, udts);
}

export function describeUdt(udt: UdtDefinition | undefined, udts: UdtLookup): { fields: Record<string, unknown> } {
  return {
    fields: Object.fromEntries(Object.entries(udt?.fields ?? {}).map(([name, t]) => [name, describeType(t, udts)])),
  };
}

/** The SQL type a column is stored as; collections and user-defined values are stored as JSON text. */
export function sqlType(type: ColumnType, dialect: Dialect): string {
  const pg = dialect === 'postgres';
  switch (type.type) {
    case 'text':
    case 'ascii':
    case 'varchar':
      return pg ? 'TEXT COLLATE "C"' : 'TEXT';
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'boolean':
    case 'date':
      return 'INTEGER';
    case 'bigint':
    case 'counter':
    case 'time':
    case 'timestamp':
      return pg ? 'BIGINT' : 'INTEGER';
    case 'varint':
    case 'decimal':
      // Exact on both stores; SQLite compares them through REAL (see docs/data-api.md).
      return pg ? 'NUMERIC' : 'TEXT';
    case 'float':
      return pg ? 'REAL' : 'REAL';
    case 'double':
      return pg ? 'DOUBLE PRECISION' : 'REAL';
    case 'blob':
      return pg ? 'BYTEA' : 'BLOB';
    case 'vector':
      return pg ? 'REAL[]' : 'BLOB';
    default:
      return 'TEXT';
  }
}
