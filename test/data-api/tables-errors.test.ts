import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrganization, call, createToken, startServer, type TestServer } from '../support/server.js';
import { command, createDatabase } from './support.js';

interface Case {
  label: string;
  /** 'ks' for the keyspace, or a table or collection name. */
  at: string;
  body: unknown;
  code: string;
  scope: string;
  title: string;
  /** Words the message must contain. */
  says: string;
}

const CASES: Case[] = [
  {
    label: 'a row with a column the table does not have',
    at: 'ev',
    body: { insertOne: { document: { device: 'a', seq: 1, nope: 1 } } },
    code: 'UNKNOWN_TABLE_COLUMNS',
    scope: 'DOCUMENT',
    title: 'Columns in documents are not defined in the table schema',
    says: 'nope',
  },
  {
    label: 'a text value for an int column',
    at: 'ev',
    body: { insertOne: { document: { device: 'a', seq: 'one' } } },
    code: 'INVALID_COLUMN_VALUES',
    scope: 'DOCUMENT',
    title: 'Column values in documents are not valid',
    says: 'seq(int)',
  },
  {
    label: 'an int beyond 32 bits',
    at: 'ev',
    body: { insertOne: { document: { device: 'a', seq: 2147483648 } } },
    code: 'INVALID_COLUMN_VALUES',
    scope: 'DOCUMENT',
    title: 'Column values in documents are not valid',
    says: '2147483648 is out of range for int',
  },
  {
    label: 'a vector of the wrong length',
    at: 'ev',
    body: { insertOne: { document: { device: 'a', seq: 1, v: [1, 2, 3] } } },
    code: 'INVALID_COLUMN_VALUES',
    scope: 'DOCUMENT',
    title: 'Column values in documents are not valid',
    says: '3 dimensions',
  },
  {
    label: 'text holding NUL',
    at: 'ev',
    body: { insertOne: { document: { device: 'a\u0000b', seq: 1 } } },
    code: 'INVALID_COLUMN_VALUES',
    scope: 'DOCUMENT',
    title: 'Column values in documents are not valid',
    says: 'NUL',
  },
  {
    label: 'a decimal with a vast exponent',
    at: 'ev',
    // Sent as text: the number is beyond what JavaScript can write.
    body: '{"insertOne": {"document": {"device": "a", "seq": 1, "price": 1e100000}}}',
    code: 'INVALID_COLUMN_VALUES',
    scope: 'DOCUMENT',
    title: 'Column values in documents are not valid',
    says: 'price(decimal)',
  },
  {
    label: 'a timestamp beyond what the server keeps',
    at: 'ev',
    body: { insertOne: { document: { device: 'a', seq: 1, at: '+300000-01-01T00:00:00Z' } } },
    code: 'INVALID_COLUMN_VALUES',
    scope: 'DOCUMENT',
    title: 'Column values in documents are not valid',
    says: 'at(timestamp)',
  },
  {
    label: 'more $in values than a filter may hold',
    at: 'ev',
    body: { find: { filter: { device: { $in: Array.from({ length: 101 }, (_, i) => `d${i}`) } } } },
    code: 'FILTER_FIELDS_LIMIT_VIOLATION',
    scope: 'FILTER',
    title: 'Filter fields size limitation violated',
    says: 'at most 100',
  },
  {
    label: 'a row without its whole primary key',
    at: 'ev',
    body: { insertOne: { document: { device: 'a' } } },
    code: 'MISSING_PRIMARY_KEY_COLUMNS',
    scope: 'DOCUMENT',
    title: 'Primary key columns missing',
    says: 'misses seq',
  },
  {
    label: 'a filter on an unknown column',
    at: 'ev',
    body: { find: { filter: { nope: 1 } } },
    code: 'UNKNOWN_TABLE_COLUMNS',
    scope: 'FILTER',
    title: 'Columns in the filter are not defined in the table schema',
    says: 'nope',
  },
  {
    label: 'a filter on a vector column',
    at: 'ev',
    body: { find: { filter: { v: [1, 0] } } },
    code: 'UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES',
    scope: 'FILTER',
    title: 'Column types in the filter do not support the filter operations',
    says: 'used v',
  },
  {
    label: 'a single value for a set column',
    at: 'ev',
    body: { find: { filter: { tags: 'x' } } },
    code: 'INVALID_MAP_SET_LIST_FILTER',
    scope: 'FILTER',
    title: 'Command has invalid filter against a map, set, or list column',
    says: '$in, $nin or $all',
  },
  {
    label: 'a comparison on a duration',
    at: 'ev',
    body: { find: { filter: { d: { $gt: '1h' } } } },
    code: 'UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION',
    scope: 'FILTER',
    title: 'Duration data type does not support comparison filters',
    says: 'd',
  },
  {
    label: 'a filter value the column cannot hold',
    at: 'ev',
    body: { find: { filter: { level: 'high' } } },
    code: 'INVALID_FILTER_COLUMN_VALUES',
    scope: 'FILTER',
    title: 'Column value in filter is not valid',
    says: 'level (int)',
  },
  {
    label: 'a filter operator tables do not take',
    at: 'ev',
    body: { find: { filter: { level: { $exists: true } } } },
    code: 'FILTER_UNSUPPORTED_OPERATOR',
    scope: 'FILTER',
    title: 'Unsupported filter operator',
    says: '$exists',
  },
  {
    label: 'a sort on an unknown column',
    at: 'ev',
    body: { find: { sort: { nope: 1 } } },
    code: 'CANNOT_SORT_UNKNOWN_COLUMNS',
    scope: 'SORT',
    title: 'Sorted columns are not defined in the table schema',
    says: 'nope',
  },
  {
    label: 'a vector sort on a vector column without an index',
    at: 'ev',
    body: { find: { sort: { w: [1, 0] } } },
    code: 'CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS',
    scope: 'SORT',
    title: 'Vector sort cannot be used for non indexed vector columns',
    says: 'w',
  },
  {
    label: 'a vector sort on a text column',
    at: 'ev',
    body: { find: { sort: { kind: [1, 0] } } },
    code: 'CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS',
    scope: 'SORT',
    title: 'Vector sort columns are not `vector` type',
    says: 'kind is text',
  },
  {
    label: 'a vector sort with another sort',
    at: 'ev',
    body: { find: { sort: { v: [1, 0], seq: 1 } } },
    code: 'CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS',
    scope: 'SORT',
    title: 'Vector sort cannot be used with non vector sorting',
    says: 'seq',
  },
  {
    label: 'a vector sort of the wrong dimension',
    at: 'ev',
    body: { find: { sort: { v: [1, 0, 0] } } },
    code: 'CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS',
    scope: 'SORT',
    title: 'Vector sort cannot be used with mismatched vector dimensions',
    says: '2 dimensions',
  },
  {
    label: 'a sort on two vector columns',
    at: 'ev',
    body: { find: { sort: { v: [1, 0], w: [1, 0] } } },
    code: 'CANNOT_SORT_ON_MULTIPLE_VECTORS',
    scope: 'SORT',
    title: 'More than one vector sort provided',
    says: 'the sort names v, w',
  },
  {
    label: 'a sort vector holding text',
    at: 'ev',
    body: { find: { sort: { v: [1, 'x'] } } },
    code: 'INVALID_VECTOR_SORT_EXPRESSION',
    scope: 'SORT',
    title: 'Sort expression is not valid for vector/vectorize sort',
    says: 'sort vector for v',
  },
  {
    label: 'a vectorize sort on a column without vectorize',
    at: 'ev',
    body: { find: { sort: { v: 'a red car' } } },
    code: 'CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION',
    scope: 'SORT',
    title: 'Vectorize sort not supported on column with missing vectorize configuration',
    says: 'v has no vectorize definition',
  },
  {
    label: 'a sort direction other than 1 or -1',
    at: 'ev',
    body: { find: { sort: { seq: 2 } } },
    code: 'INVALID_REGULAR_SORT_EXPRESSION',
    scope: 'SORT',
    title: 'Sort expression is not valid for regular sort',
    says: 'seq is 2',
  },
  {
    label: 'a page state on rows sorted in memory',
    at: 'ev',
    body: { find: { sort: { level: 1 }, options: { pageState: 'eyJyZXR1cm5lZCI6MX0' } } },
    code: 'UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING',
    scope: 'SORT',
    title: 'Pagination not supported when using in-memory sorting',
    says: 'one page',
  },
  {
    label: 'a projection of an unknown column',
    at: 'ev',
    body: { find: { projection: { nope: 1 } } },
    code: 'UNKNOWN_TABLE_COLUMNS',
    scope: 'PROJECTION',
    title: 'Columns in the projection are not defined in the table schema',
    says: 'nope',
  },
  {
    label: 'an updateOne without a filter',
    at: 'ev',
    body: { updateOne: { filter: {}, update: { $set: { level: 1 } } } },
    code: 'MISSING_FILTER_FOR_UPDATE_DELETE',
    scope: 'FILTER',
    title: 'Update and delete commands require a filter',
    says: 'device, seq',
  },
  {
    label: 'an updateOne without the whole primary key',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a' }, update: { $set: { level: 1 } } } },
    code: 'MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE',
    scope: 'FILTER',
    title: 'updateOne and deleteOne commands require filtering on the full primary key',
    says: 'misses seq',
  },
  {
    label: 'an updateOne filtering on another column',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1, level: 2 }, update: { $set: { kind: 'x' } } } },
    code: 'UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE',
    scope: 'FILTER',
    title: 'Update and delete commands only support filtering on the primary key',
    says: 'level',
  },
  {
    label: 'a deleteOne with a range',
    at: 'ev',
    body: { deleteOne: { filter: { device: 'a', seq: { $gt: 1 } } } },
    code: 'UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE',
    scope: 'FILTER',
    title: 'updateOne and deleteOne commands only support filtering using $eq',
    says: 'seq',
  },
  {
    label: 'a deleteMany without the partition',
    at: 'ev',
    body: { deleteMany: { filter: { seq: 1 } } },
    code: 'INVALID_PRIMARY_KEY_FILTER',
    scope: 'FILTER',
    title: 'Primary key filtering must specify columns in schema order',
    says: '[device]',
  },
  {
    label: 'an update of a primary key column',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1 }, update: { $set: { seq: 2 } } } },
    code: 'UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS',
    scope: 'UPDATE',
    title: 'Primary key columns cannot be updated',
    says: 'seq',
  },
  {
    label: 'an update operator tables do not take',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1 }, update: { $inc: { level: 1 } } } },
    code: 'UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE',
    scope: 'UPDATE',
    title: 'Update operation not supported by tables',
    says: '$inc',
  },
  {
    label: 'an update of an unknown column',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1 }, update: { $set: { nope: 1 } } } },
    code: 'UNKNOWN_TABLE_COLUMNS',
    scope: 'UPDATE',
    title: 'Columns in the update are not defined in the table schema',
    says: 'nope',
  },
  {
    label: 'an update value the column cannot hold',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1 }, update: { $set: { level: 1.5 } } } },
    code: 'INVALID_UPDATE_COLUMN_VALUES',
    scope: 'UPDATE',
    title: 'Column value in update clause is not valid',
    says: 'level(int)',
  },
  {
    label: '$push on a scalar column',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1 }, update: { $push: { level: 1 } } } },
    code: 'UNSUPPORTED_UPDATE_OPERATOR',
    scope: 'UPDATE',
    title: 'Update operator is not supported by target columns',
    says: 'level(int)',
  },
  {
    label: 'an updateOne with a sort',
    at: 'ev',
    body: { updateOne: { filter: { device: 'a', seq: 1 }, update: { $set: { level: 1 } }, sort: { seq: 1 } } },
    code: 'UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND',
    scope: 'SORT',
    title: 'Sorting not supported by update command on tables',
    says: 'without a sort',
  },
  {
    label: 'a deleteOne with a sort',
    at: 'ev',
    body: { deleteOne: { filter: { device: 'a', seq: 1 }, sort: { seq: 1 } } },
    code: 'UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND',
    scope: 'SORT',
    title: 'Sorting not supported by delete command on tables',
    says: 'without a sort',
  },
  {
    label: 'a table that exists already',
    at: 'ks',
    body: { createTable: { name: 'ev', definition: { columns: { a: 'text' }, primaryKey: 'a' } } },
    code: 'CANNOT_ADD_EXISTING_TABLE',
    scope: 'SCHEMA',
    title: 'Table with the same name exists in the keyspace schema',
    says: 'ev',
  },
  {
    label: 'a table named as a collection',
    at: 'ks',
    body: { createTable: { name: 'docs', definition: { columns: { a: 'text' }, primaryKey: 'a' } } },
    code: 'CANNOT_ADD_EXISTING_TABLE',
    scope: 'SCHEMA',
    title: 'Table with the same name exists in the keyspace schema',
    says: 'docs',
  },
  {
    label: 'an unknown column type',
    at: 'ks',
    body: { createTable: { name: 't1', definition: { columns: { a: 'string' }, primaryKey: 'a' } } },
    code: 'UNKNOWN_PRIMITIVE_DATA_TYPE',
    scope: 'SCHEMA',
    title: 'Primitive data type is unknown',
    says: '"string"',
  },
  {
    label: 'a table without partition columns',
    at: 'ks',
    body: { createTable: { name: 't1', definition: { columns: { a: 'text' }, primaryKey: { partitionBy: [] } } } },
    code: 'MISSING_PARTITION_COLUMNS',
    scope: 'SCHEMA',
    title: 'Partitioning keys are required for tables',
    says: 'a',
  },
  {
    label: 'a partition on an unknown column',
    at: 'ks',
    body: { createTable: { name: 't1', definition: { columns: { a: 'text' }, primaryKey: 'b' } } },
    code: 'UNKNOWN_PARTITION_COLUMNS',
    scope: 'SCHEMA',
    title: 'Partition columns are not defined in the table schema',
    says: 'b',
  },
  {
    label: 'a table name with a dash',
    at: 'ks',
    body: { createTable: { name: 'my-table', definition: { columns: { a: 'text' }, primaryKey: 'a' } } },
    code: 'UNSUPPORTED_SCHEMA_NAME',
    scope: 'SCHEMA',
    title: 'The used schema name is not supported',
    says: 'my-table',
  },
  {
    label: 'dropping an unknown table',
    at: 'ks',
    body: { dropTable: { name: 'ghost' } },
    code: 'CANNOT_DROP_UNKNOWN_TABLE',
    scope: 'SCHEMA',
    title: 'Dropped table is not defined in the keyspace schema',
    says: 'ghost',
  },
  {
    label: 'dropping an unknown index',
    at: 'ks',
    body: { dropIndex: { name: 'ghost' } },
    code: 'CANNOT_DROP_UNKNOWN_INDEX',
    scope: 'SCHEMA',
    title: 'Dropped index is not defined in the keyspace schema',
    says: 'ghost',
  },
  {
    label: 'an index on an unknown column',
    at: 'ev',
    body: { createIndex: { name: 'ix_nope', definition: { column: 'nope' } } },
    code: 'UNKNOWN_INDEX_COLUMN',
    scope: 'SCHEMA',
    title: 'Index column is not defined in the table schema',
    says: 'nope',
  },
  {
    label: 'an index name taken',
    at: 'ev',
    body: { createIndex: { name: 'ev_kind', definition: { column: 'level' } } },
    code: 'CANNOT_ADD_EXISTING_INDEX',
    scope: 'SCHEMA',
    title: 'Index with the same name exists in the keyspace schema',
    says: 'ev_kind',
  },
  {
    label: 'an unknown vector metric',
    at: 'ev',
    body: { createVectorIndex: { name: 'ev_w', definition: { column: 'w', options: { metric: 'manhattan' } } } },
    code: 'UNKNOWN_VECTOR_METRIC',
    scope: 'SCHEMA',
    title: 'Vector metric is unknown',
    says: 'manhattan',
  },
  {
    label: 'dropping a primary key column',
    at: 'ev',
    body: { alterTable: { operation: { drop: { columns: ['seq'] } } } },
    code: 'CANNOT_DROP_PRIMARY_KEY_COLUMNS',
    scope: 'SCHEMA',
    title: 'Primary key columns cannot be dropped from the table schema',
    says: 'seq',
  },
  {
    label: 'adding a column the table has',
    at: 'ev',
    body: { alterTable: { operation: { add: { columns: { level: 'int' } } } } },
    code: 'CANNOT_ADD_EXISTING_COLUMNS',
    scope: 'SCHEMA',
    title: 'Columns with the same name are defined in the table schema',
    says: 'level',
  },
  {
    label: 'a table without a vector dimension',
    at: 'ks',
    body: {
      createTable: { name: 't1', definition: { columns: { a: 'text', v: { type: 'vector' } }, primaryKey: 'a' } },
    },
    code: 'MISSING_DIMENSION_IN_VECTOR_COLUMN',
    scope: 'SCHEMA',
    title: 'Dimension is required for vector column if embedding service is not specified',
    says: 'v: a vector column needs its "dimension"',
  },
  {
    label: 'a vector of no dimensions',
    at: 'ks',
    body: {
      createTable: {
        name: 't1',
        definition: { columns: { a: 'text', v: { type: 'vector', dimension: 0 } }, primaryKey: 'a' },
      },
    },
    code: 'UNSUPPORTED_VECTOR_DIMENSION',
    scope: 'SCHEMA',
    title: 'Vector definition contains unsupported dimension',
    says: 'it is 0',
  },
  {
    label: 'a partition sort on an unknown column',
    at: 'ks',
    body: {
      createTable: {
        name: 't1',
        definition: { columns: { a: 'text', b: 'int' }, primaryKey: { partitionBy: ['a'], partitionSort: { c: 1 } } },
      },
    },
    code: 'UNKNOWN_PARTITION_SORT_COLUMNS',
    scope: 'SCHEMA',
    title: 'Partition sort columns are not defined in the table schema',
    says: 'unknown c',
  },
  {
    label: 'a partition sort direction other than 1 or -1',
    at: 'ks',
    body: {
      createTable: {
        name: 't1',
        definition: { columns: { a: 'text', b: 'int' }, primaryKey: { partitionBy: ['a'], partitionSort: { b: 0 } } },
      },
    },
    code: 'PRIMARY_KEY_DEFINITION_INCORRECT',
    scope: 'SCHEMA',
    title: 'Primary key definition provided is incorrect.',
    says: 'partition sort of b',
  },
  {
    label: 'a column of an unknown user-defined type',
    at: 'ks',
    body: {
      createTable: {
        name: 't1',
        definition: { columns: { a: 'text', u: { type: 'userDefined', udtName: 'ghost' } }, primaryKey: 'a' },
      },
    },
    code: 'UNKNOWN_USER_DEFINED_TYPE',
    scope: 'SCHEMA',
    title: 'User defined type is unknown',
    says: 'no type named ghost',
  },
  {
    label: 'a user-defined column without its type name',
    at: 'ks',
    body: {
      createTable: { name: 't1', definition: { columns: { a: 'text', u: { type: 'userDefined' } }, primaryKey: 'a' } },
    },
    code: 'INVALID_USER_DEFINED_TYPE_NAME',
    scope: 'SCHEMA',
    title: 'User defined type name is not valid.',
    says: '"udtName"',
  },
  {
    label: 'a counter column',
    at: 'ks',
    body: { createTable: { name: 't1', definition: { columns: { a: 'text', c: 'counter' }, primaryKey: 'a' } } },
    code: 'UNSUPPORTED_DATA_TYPE_TABLE_CREATION',
    scope: 'SCHEMA',
    title: 'Table creation with unsupported data types',
    says: 'counter columns',
  },
  {
    label: 'a map keyed by a user-defined type',
    at: 'ks',
    body: {
      createTable: {
        name: 't1',
        definition: {
          columns: {
            a: 'text',
            m: { type: 'map', keyType: { type: 'userDefined', udtName: 'addr' }, valueType: 'int' },
          },
          primaryKey: 'a',
        },
      },
    },
    code: 'UNSUPPORTED_MAP_DEFINITION',
    scope: 'SCHEMA',
    title: 'Map definition contains unsupported data types',
    says: "m: a map's keys",
  },
  {
    label: 'a list of vectors',
    at: 'ks',
    body: {
      createTable: {
        name: 't1',
        definition: {
          columns: { a: 'text', l: { type: 'list', valueType: { type: 'vector', dimension: 2 } } },
          primaryKey: 'a',
        },
      },
    },
    code: 'UNSUPPORTED_LIST_DEFINITION',
    scope: 'SCHEMA',
    title: 'List definition contains unsupported data types',
    says: 'not vector',
  },
  {
    label: 'a set without its element type',
    at: 'ks',
    body: { createTable: { name: 't1', definition: { columns: { a: 'text', s: { type: 'set' } }, primaryKey: 'a' } } },
    code: 'UNSUPPORTED_SET_DEFINITION',
    scope: 'SCHEMA',
    title: 'Set definition contains unsupported data types',
    says: 's: the definition needs the type of its elements',
  },
  {
    label: 'a column definition without a type',
    at: 'ks',
    body: { createTable: { name: 't1', definition: { columns: { a: 'text', b: { dimension: 2 } }, primaryKey: 'a' } } },
    code: 'COLUMN_TYPE_INCORRECT',
    scope: 'SCHEMA',
    title: 'Column data type not provided or format invalid in the definition',
    says: 'column b has no "type"',
  },
  {
    label: 'a type without fields',
    at: 'ks',
    body: { createType: { name: 't2', definition: { fields: {} } } },
    code: 'MISSING_FIELDS_FOR_TYPE_CREATION',
    scope: 'SCHEMA',
    title: 'At least one field is required for type creation',
    says: 'at least one field',
  },
  {
    label: 'a type with a vector field',
    at: 'ks',
    body: { createType: { name: 't2', definition: { fields: { v: { type: 'vector', dimension: 2 } } } } },
    code: 'UNSUPPORTED_TYPE_FIELDS',
    scope: 'SCHEMA',
    title: 'Type definition contains unsupported fields.',
    says: 'Field v',
  },
  {
    label: 'a type that exists already',
    at: 'ks',
    body: { createType: { name: 'addr', definition: { fields: { zip: 'text' } } } },
    code: 'CANNOT_ADD_EXISTING_TYPE',
    scope: 'SCHEMA',
    title: 'Type with the same name exists in the keyspace schema',
    says: 'type named addr',
  },
  {
    label: 'altering an unknown type',
    at: 'ks',
    body: { alterType: { name: 'ghost', add: { fields: { zip: 'text' } } } },
    code: 'UNKNOWN_USER_DEFINED_TYPE',
    scope: 'SCHEMA',
    title: 'User defined type is unknown',
    says: 'no type named ghost',
  },
  {
    label: 'altering a type with no operation',
    at: 'ks',
    body: { alterType: { name: 'addr' } },
    code: 'MISSING_ALTER_TYPE_OPERATIONS',
    scope: 'SCHEMA',
    title: 'Alter type command must include operations',
    says: '"add" or "rename"',
  },
  {
    label: 'adding a field the type has',
    at: 'ks',
    body: { alterType: { name: 'addr', add: { fields: { street: 'text' } } } },
    code: 'CANNOT_ADD_EXISTING_FIELD',
    scope: 'SCHEMA',
    title: 'Field with the same name are defined in the type definition',
    says: 'already has the fields street',
  },
  {
    label: 'renaming a field the type does not have',
    at: 'ks',
    body: { alterType: { name: 'addr', rename: { fields: { zip: 'postcode' } } } },
    code: 'CANNOT_RENAME_UNKNOWN_TYPE_FIELD',
    scope: 'SCHEMA',
    title: 'Field cannot be renamed if it is not defined in the type',
    says: 'no fields zip',
  },
  {
    label: 'renaming a field of a type a table uses',
    at: 'ks',
    body: { alterType: { name: 'addr', rename: { fields: { street: 'road' } } } },
    code: 'UNSUPPORTED_TYPE_FIELDS',
    scope: 'SCHEMA',
    title: 'Type definition contains unsupported fields.',
    says: 'used by the tables homes',
  },
  {
    label: 'dropping an unknown type',
    at: 'ks',
    body: { dropType: { name: 'ghost' } },
    code: 'CANNOT_DROP_UNKNOWN_TYPE',
    scope: 'SCHEMA',
    title: 'Dropped type is not defined in the keyspace schema',
    says: 'no type named ghost',
  },
  {
    label: 'dropping a type a table uses',
    at: 'ks',
    body: { dropType: { name: 'addr' } },
    code: 'CANNOT_DROP_TYPE_USED_BY_TABLE',
    scope: 'SCHEMA',
    title: 'Type cannot be dropped if used by tables',
    says: 'used by the tables homes',
  },
  {
    label: 'an alterTable without an operation',
    at: 'ev',
    body: { alterTable: { operation: {} } },
    code: 'MISSING_ALTER_TABLE_OPERATIONS',
    scope: 'SCHEMA',
    title: 'Alter table command must include operations',
    says: 'exactly one of add, drop',
  },
  {
    label: 'dropping a column the table does not have',
    at: 'ev',
    body: { alterTable: { operation: { drop: { columns: ['nope'] } } } },
    code: 'CANNOT_DROP_UNKNOWN_COLUMNS',
    scope: 'SCHEMA',
    title: 'Columns cannot be dropped if they are not defined in the table schema',
    says: 'it has no nope',
  },
  {
    label: 'dropping an indexed column',
    at: 'ev',
    body: { alterTable: { operation: { drop: { columns: ['kind'] } } } },
    code: 'CANNOT_DROP_INDEXED_COLUMNS',
    scope: 'SCHEMA',
    title: 'Columns used in the indexes cannot be dropped',
    says: 'have the indexes ev_kind',
  },
  {
    label: 'dropping vectorize from a column the table does not have',
    at: 'ev',
    body: { alterTable: { operation: { dropVectorize: { columns: ['nope'] } } } },
    code: 'CANNOT_DROP_VECTORIZE_FROM_UNKNOWN_COLUMNS',
    scope: 'SCHEMA',
    title: 'Vectorize configuration cannot be dropped from columns if they are not defined in the table schema',
    says: 'it has no "nope"',
  },
  {
    label: 'a regular index on a vector column',
    at: 'ev',
    body: { createIndex: { name: 'ix_w', definition: { column: 'w' } } },
    code: 'UNSUPPORTED_INDEXING_FOR_DATA_TYPES',
    scope: 'SCHEMA',
    title: 'Indexing not supported by data types',
    says: 'w is vector',
  },
  {
    label: 'a text index on an int column',
    at: 'ev',
    body: { createTextIndex: { name: 'ix_level', definition: { column: 'level' } } },
    code: 'UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES',
    scope: 'SCHEMA',
    title: 'Text index not supported by data types',
    says: 'level is int',
  },
  {
    label: 'a vector index on a text column',
    at: 'ev',
    body: { createVectorIndex: { name: 'ix_kind', definition: { column: 'kind' } } },
    code: 'UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES',
    scope: 'SCHEMA',
    title: 'Vector index not supported by data types',
    says: 'kind is text',
  },
  {
    label: 'a text option on an int index',
    at: 'ev',
    body: { createIndex: { name: 'ix_level', definition: { column: 'level', options: { caseSensitive: false } } } },
    code: 'INVALID_INDEX_DEFINITION',
    scope: 'SCHEMA',
    title: 'Provided index configuration is not valid.',
    says: 'level is int',
  },
  {
    label: 'a $keys index on a set column',
    at: 'ev',
    body: { createIndex: { name: 'ix_tags', definition: { column: { tags: '$keys' } } } },
    code: 'INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN',
    scope: 'SCHEMA',
    title: 'Unable to create index, format for index creation column is invalid.',
    says: 'tags is set',
  },
  {
    label: 'a collection command on a table',
    at: 'ev',
    body: { countDocuments: {} },
    code: 'UNSUPPORTED_TABLE_COMMAND',
    scope: '',
    title: 'Command is not supported by tables',
    says: 'countDocuments',
  },
  {
    label: 'a table command on a collection',
    at: 'docs',
    body: { createIndex: { name: 'ix', definition: { column: 'a' } } },
    code: 'UNSUPPORTED_COLLECTION_COMMAND',
    scope: '',
    title: 'Command is not supported by collections',
    says: 'createIndex',
  },
  {
    label: 'a table that does not exist',
    at: 'ghost',
    body: { find: {} },
    code: 'UNKNOWN_COLLECTION_OR_TABLE',
    scope: 'SCHEMA',
    title: 'Collection or Table does not exist in the Keyspace',
    says: 'ghost',
  },
];

interface WarningCase {
  label: string;
  at: string;
  filter: Record<string, unknown>;
  sort?: Record<string, unknown>;
  /** The warning codes, in order; none when the key or an index serves the read. */
  codes: string[];
  title?: string;
  says?: string;
}

const WARNINGS: WarningCase[] = [
  {
    label: 'an empty filter',
    at: 'ev',
    filter: {},
    codes: ['ZERO_FILTER_OPERATIONS'],
    title: 'Zero operations provided in query filter',
    says: 'every row',
  },
  {
    label: 'a filter on an unindexed column',
    at: 'ev',
    filter: { level: 3 },
    codes: ['MISSING_INDEX'],
    title: 'Filter includes columns that are not indexed',
    says: 'level',
  },
  {
    label: 'a filter on a partition sort column alone',
    at: 'ev',
    filter: { seq: 3 },
    codes: ['INCOMPLETE_PRIMARY_KEY_FILTER'],
    title: 'Incomplete filter on table primary key',
    says: '[device]',
  },
  {
    label: '$ne on an indexed text column',
    at: 'ev',
    filter: { kind: { $ne: 'x' } },
    codes: ['NOT_EQUALS_UNSUPPORTED_BY_INDEXING'],
    title: 'Use of $ne (not equals) on indexed columns',
    says: 'kind(text)',
  },
  {
    label: '$nin on an indexed text column',
    at: 'ev',
    filter: { kind: { $nin: ['x'] } },
    codes: ['NOT_IN_FILTER_UNSUPPORTED_BY_INDEXING'],
    title: 'Use of $nin on indexed columns',
    says: 'kind(text)',
  },
  {
    label: 'a range on an indexed text column',
    at: 'ev',
    filter: { kind: { $gt: 'a' } },
    codes: ['COMPARISON_FILTER_UNSUPPORTED_BY_INDEXING'],
    title: 'Use of $lt, $gt, $lte, $gte (comparison filter) on indexed columns',
    says: 'kind(text)',
  },
  {
    label: 'a sort on a regular column',
    at: 'ev',
    filter: { device: 'a' },
    sort: { level: 1 },
    codes: ['IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING'],
    title: 'Sorting by non partition sorting columns',
    says: '[level]',
  },
  {
    label: 'a partition sort without the partition',
    at: 'ev',
    filter: { kind: 'x' },
    sort: { seq: 1 },
    codes: ['IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED'],
    title: 'Sorting with partition key not restricted correctly in filter clause',
    says: '[device]',
  },
  {
    label: 'partition sort columns out of order',
    at: 'cl',
    filter: { p: 'x' },
    sort: { b: 1, a: 1 },
    codes: ['IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING'],
    title: 'Sorting on out of order partition sorting columns',
    says: '[b, a]',
  },
  {
    label: 'a partition sort column skipped',
    at: 'cl',
    filter: { p: 'x' },
    sort: { b: 1 },
    codes: ['IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING'],
    title: 'Sorting with missing partition sorting columns',
    says: '[b]',
  },
  { label: 'a whole primary key', at: 'ev', filter: { device: 'a', seq: 1 }, codes: [] },
  { label: 'a partition with its sort reversed', at: 'ev', filter: { device: 'a' }, sort: { seq: -1 }, codes: [] },
  { label: 'an indexed column', at: 'ev', filter: { kind: 'x' }, codes: [] },
  {
    label: 'a clustering range in a partition',
    at: 'cl',
    filter: { p: 'x', a: { $gt: 1 } },
    sort: { a: -1 },
    codes: [],
  },
];

describe('table errors and warnings, as the reference server words them', () => {
  let server: TestServer;
  let ks: string;
  let databaseId: string;

  beforeAll(async () => {
    server = await startServer();
    const database = await createDatabase(server);
    databaseId = database.id;
    ks = `${database.path}/default_keyspace`;
    const setup = [
      {
        createTable: {
          name: 'ev',
          definition: {
            columns: {
              device: 'text',
              seq: 'int',
              kind: 'text',
              level: 'int',
              d: 'duration',
              v: { type: 'vector', dimension: 2 },
              w: { type: 'vector', dimension: 2 },
              tags: { type: 'set', valueType: 'text' },
              price: 'decimal',
              at: 'timestamp',
            },
            primaryKey: { partitionBy: ['device'], partitionSort: { seq: 1 } },
          },
        },
      },
      {
        createTable: {
          name: 'cl',
          definition: {
            columns: { p: 'text', a: 'int', b: 'int' },
            primaryKey: { partitionBy: ['p'], partitionSort: { a: 1, b: 1 } },
          },
        },
      },
      { createCollection: { name: 'docs' } },
      { createType: { name: 'addr', definition: { fields: { street: 'text', city: 'text' } } } },
      {
        createTable: {
          name: 'homes',
          definition: { columns: { id: 'text', addr: { type: 'userDefined', udtName: 'addr' } }, primaryKey: 'id' },
        },
      },
    ];
    for (const body of setup) expect((await command(server, ks, body)).body.status).toEqual({ ok: 1 });
    for (const body of [
      { createIndex: { name: 'ev_kind', definition: { column: 'kind' } } },
      { createVectorIndex: { name: 'ev_v', definition: { column: 'v', options: { metric: 'cosine' } } } },
      { insertOne: { document: { device: 'a', seq: 1, kind: 'x', level: 3, v: [1, 0] } } },
    ])
      expect((await command(server, `${ks}/ev`, body)).body.errors).toBeUndefined();
  });
  afterAll(async () => server.close());

  for (const c of CASES) {
    it(`refuses ${c.label} with ${c.code}`, async () => {
      const response = await command(server, c.at === 'ks' ? ks : `${ks}/${c.at}`, c.body);
      expect(response.status).toBe(200);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0]).toMatchObject({
        family: 'REQUEST',
        scope: c.scope,
        errorCode: c.code,
        title: c.title,
      });
      expect(response.body.errors[0].message).toContain(c.says);
    });
  }

  for (const w of WARNINGS) {
    it(`answers ${w.label} with ${w.codes.length ? w.codes.join(', ') : 'no warning'}`, async () => {
      const response = await command(server, `${ks}/${w.at}`, { find: { filter: w.filter, sort: w.sort } });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.documents).toBeInstanceOf(Array);
      const warnings = (response.body.status.warnings ?? []) as Record<string, string>[];
      expect(warnings.map((x) => x.errorCode)).toEqual(w.codes);
      if (w.title) {
        expect(warnings[0]).toMatchObject({ family: 'REQUEST', scope: 'WARNING', title: w.title });
        expect(warnings[0]!.message).toContain(w.says);
      }
    });
  }

  it('answers a sweep of malformed table commands without a 500', async () => {
    const byLevel: [string, string[]][] = [
      [ks, ['createTable', 'listTables', 'dropTable', 'dropIndex', 'createType', 'alterType', 'dropType', 'listTypes']],
      [
        `${ks}/ev`,
        [
          'find',
          'findOne',
          'insertOne',
          'insertMany',
          'updateOne',
          'deleteOne',
          'deleteMany',
          'alterTable',
          'createIndex',
          'createVectorIndex',
          'createTextIndex',
          'listIndexes',
        ],
      ],
    ];
    const values: unknown[] = [
      null,
      1,
      -1,
      Number.MAX_VALUE,
      'x',
      true,
      [],
      [1],
      {},
      { $eq: [] },
      { seq: { $in: 'x' } },
      { device: { $binary: '***' } },
      { d: { $lt: 5 } },
      { v: 'text' },
      { $and: {} },
      { $or: [1] },
      { columns: { a: { type: 'map', keyType: 'vector' } }, primaryKey: 'a' },
      { columns: { a: { type: 'vector', dimension: -1 } }, primaryKey: 'a' },
      { columns: { a: { type: 'userDefined' } }, primaryKey: 'a' },
      { column: { tags: '$nope' } },
      { add: { columns: { x: 'wat' } } },
      { device: 'a', seq: 1, tags: [null] },
    ];
    const fields = [
      'filter',
      'sort',
      'projection',
      'update',
      'document',
      'documents',
      'options',
      'name',
      'definition',
      'operation',
    ];
    const requests: [string, unknown][] = [];
    for (const [path, names] of byLevel) {
      for (const name of names) {
        requests.push([path, { [name]: null }]);
        for (const field of fields) for (const value of values) requests.push([path, { [name]: { [field]: value } }]);
      }
    }
    const statuses = new Set<number>();
    for (const [path, body] of requests) {
      const response = await command(server, path, body, server.adminToken);
      statuses.add(response.status);
      if (response.status >= 500)
        throw new Error(`${path} ${JSON.stringify(body)} → ${response.status} ${response.text}`);
      if (response.body.errors) expect(response.body.errors[0].errorCode).toMatch(/^[A-Z_]+$/);
    }
    expect([...statuses]).toEqual([200]);
    // The sweep's empty deleteMany emptied the table; the next test reads its row again.
    await command(server, `${ks}/ev`, { insertOne: { document: { device: 'a', seq: 1, kind: 'x', level: 3 } } });
  }, 300_000);

  it("refuses another organization's token and a token scoped elsewhere, on the table's DRN", async () => {
    const other = await addOrganization(server, 'Other Org');
    const foreign = await command(server, `${ks}/ev`, { find: {} }, other.token);
    expect({ status: foreign.status, code: foreign.body.errors[0].errorCode }).toEqual({
      status: 401,
      code: 'UNAUTHORIZED_ACCESS',
    });
    expect(foreign.text).not.toContain('"kind":"x"');

    const drn = `drn:astra:org:${server.orgId}:db:${databaseId}`;
    const role = async (name: string, resources: string[], actions: string[]) => {
      const created = await call(server, 'POST', '/v2/organizations/roles', {
        token: server.adminToken,
        body: { name, policy: { description: name, effect: 'allow', resources, actions } },
      });
      expect(created.status).toBe(201);
      return (await createToken(server, [created.body.ID])).token;
    };
    const elsewhere = await role(
      'another keyspace',
      [`${drn}:keyspace:other_ks`, `${drn}:keyspace:other_ks:table:*`],
      ['db-keyspace-describe', 'db-table-select', 'db-table-modify'],
    );
    for (const [path, body] of [
      [`${ks}/ev`, { find: {} }],
      [`${ks}/ev`, { insertOne: { document: { device: 'z', seq: 1 } } }],
      [ks, { listTables: {} }],
      [ks, { dropTable: { name: 'ev' } }],
    ] as const) {
      const refused = await command(server, path, body, elsewhere);
      expect({ status: refused.status, code: refused.body.errors[0].errorCode }).toEqual({
        status: 401,
        code: 'UNAUTHORIZED_ACCESS',
      });
    }

    const readEv = await role('read ev', [`${drn}:keyspace:default_keyspace:table:ev`], ['db-table-select']);
    expect(
      (await command(server, `${ks}/ev`, { find: { filter: { device: 'a' } } }, readEv)).body.data.documents,
    ).toHaveLength(1);
    for (const [path, body] of [
      [`${ks}/ev`, { insertOne: { document: { device: 'z', seq: 1 } } }],
      [`${ks}/cl`, { find: {} }],
      [`${ks}/ev`, { alterTable: { operation: { drop: { columns: ['level'] } } } }],
    ] as const) {
      const refused = await command(server, path, body, readEv);
      expect({ status: refused.status, code: refused.body.errors[0].errorCode }).toEqual({
        status: 401,
        code: 'UNAUTHORIZED_ACCESS',
      });
    }
    expect((await command(server, `${ks}/ev`, { find: { filter: { device: 'z' } } })).body.data.documents).toEqual([]);
  });
});
