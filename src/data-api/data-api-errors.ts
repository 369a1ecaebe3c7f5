import { randomUUID } from 'node:crypto';

/**
 * The Data API's error model: every error has a family, a scope, a code and a title that never
 * change (clients match on them), and a message that says what went wrong in this request.
 * Almost all errors travel with HTTP 200 inside `errors`; the few exceptions carry their status.
 */
interface ErrorKind {
  scope: string;
  title: string;
  family?: 'REQUEST' | 'SERVER';
  httpStatus?: number;
  /** The code clients see, where one code is used in several scopes (tables' UNKNOWN_TABLE_COLUMNS). */
  code?: string;
}

const KINDS = {
  COMMAND_ACCEPTS_NO_OPTIONS: { scope: '', title: 'Command accepts no options' },
  COMMAND_FIELD_VALUE_INVALID: { scope: '', title: 'Command field value invalid' },
  COMMAND_FIELD_UNKNOWN: { scope: '', title: 'Command field unknown' },
  COMMAND_UNKNOWN: { scope: '', title: 'Command is not recognized by Data API' },
  UNSUPPORTED_TABLE_COMMAND: { scope: '', title: 'Command is not supported by tables' },
  UNSUPPORTED_COLLECTION_COMMAND: { scope: '', title: 'Command is not supported by collections' },
  REQUEST_NOT_JSON: { scope: '', title: 'Request not valid JSON' },
  REQUEST_STRUCTURE_MISMATCH: { scope: '', title: 'Request structure not valid' },
  UNSUPPORTED_CONTENT_TYPE: { scope: '', title: 'Unsupported Content-Type', httpStatus: 415 },
  MISSING_AUTHENTICATION_TOKEN: { scope: 'SECURITY', title: 'Missing authorization token', httpStatus: 401 },
  UNAUTHORIZED_ACCESS: { scope: 'SECURITY', title: 'Unauthorized access to the database', httpStatus: 401 },
  UNAUTHENTICATED_REQUEST: { scope: 'SECURITY', title: 'Authentication failed', httpStatus: 401 },
  DOCUMENT_ALREADY_EXISTS: { scope: 'DOCUMENT', title: 'Document the given _id already exists' },
  DOCUMENT_REPLACE_DIFFERENT_DOCID: { scope: 'DOCUMENT', title: 'Document the given _id already exists' },
  SHRED_BAD_BINARY_VECTOR_VALUE: { scope: 'DOCUMENT', title: 'Bad binary vector value to shred' },
  SHRED_BAD_DOCID_TYPE: { scope: 'DOCUMENT', title: "Bad type for '_id' field" },
  SHRED_BAD_DOCUMENT_TYPE: { scope: 'DOCUMENT', title: 'Bad document type to shred' },
  SHRED_BAD_DOCUMENT_VECTOR_TYPE: { scope: 'DOCUMENT', title: 'Bad $vector value to shred' },
  SHRED_BAD_EJSON_VALUE: { scope: 'DOCUMENT', title: 'Bad JSON Extension value to shred' },
  SHRED_BAD_FIELD_NAME: { scope: 'DOCUMENT', title: 'Document field name not valid' },
  SHRED_BAD_VECTOR_SIZE: { scope: 'DOCUMENT', title: 'Bad $vector value' },
  SHRED_BAD_VECTOR_VALUE: { scope: 'DOCUMENT', title: 'Bad $vector value' },
  SHRED_DOC_LIMIT_VIOLATION: { scope: 'DOCUMENT', title: 'Document size limitation violated' },
  INVALID_VECTOR_LENGTH: { scope: 'DOCUMENT', title: 'Vector values in documents are not valid' },
  FILTER_FIELDS_LIMIT_VIOLATION: { scope: 'FILTER', title: 'Filter fields size limitation violated' },
  FILTER_INVALID_EXPRESSION: { scope: 'FILTER', title: 'Unsupported filter clause' },
  FILTER_PATH_UNINDEXED: { scope: 'FILTER', title: 'Collection path used in filter clause not indexed' },
  FILTER_UNSUPPORTED_OPERATOR: { scope: 'FILTER', title: 'Unsupported filter operator' },
  UNSUPPORTED_UPDATE_OPERATOR_FOR_DOC_ID: { scope: 'UPDATE', title: 'Update operators cannot be used on _id field' },
  UNSUPPORTED_UPDATE_OPERATOR_FOR_VECTOR: { scope: 'UPDATE', title: 'Update operator cannot be used on $vector field' },
  INVALID_PUSH_OPERATOR_USAGE: { scope: 'UPDATE', title: 'The command has invalid usage of $push operator' },
  UNSUPPORTED_UPDATE_OPERATION: { scope: 'UPDATE', title: 'Unsupported update operation' },
  UNSUPPORTED_UPDATE_OPERATION_MODIFIER: { scope: 'UPDATE', title: 'Unsupported update operation modifier' },
  UNSUPPORTED_UPDATE_OPERATION_PARAM: { scope: 'UPDATE', title: 'Unsupported update operation parameter' },
  UNSUPPORTED_UPDATE_OPERATION_PATH: { scope: 'UPDATE', title: 'Unsupported update operation path' },
  UNSUPPORTED_UPDATE_OPERATION_TARGET: { scope: 'UPDATE', title: 'Unsupported update operation target' },
  MISSING_UPDATE_OPERATIONS: { scope: 'UPDATE', title: 'Update operation requires at least one operation' },
  UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS: {
    scope: 'UPDATE',
    title: 'Columns cannot be changed by multiple update operations',
  },
  UNSUPPORTED_PROJECTION_DEFINITION: { scope: 'PROJECTION', title: 'Unsupported projection definition' },
  UNSUPPORTED_PROJECTION_PARAM: { scope: 'PROJECTION', title: 'Unsupported projection parameter' },
  EMBEDDING_SERVICE_NOT_CONFIGURED: { scope: 'SCHEMA', title: 'Embedding service not configured for collection' },
  EXISTING_COLLECTION_DIFFERENT_SETTINGS: {
    scope: 'SCHEMA',
    title: 'Collection already exists with different settings',
  },
  INVALID_CREATE_COLLECTION_OPTIONS: { scope: 'SCHEMA', title: 'Invalid options for createCollection' },
  INVALID_INDEXING_DEFINITION: { scope: 'SCHEMA', title: 'Invalid indexing definition' },
  LEXICAL_NOT_ENABLED_FOR_COLLECTION: { scope: 'SCHEMA', title: 'Lexical search is not enabled for the collection' },
  TOO_MANY_COLLECTIONS: { scope: 'SCHEMA', title: 'Too many collections' },
  UNKNOWN_KEYSPACE: { scope: 'SCHEMA', title: 'Keyspace does not exist in the Database' },
  UNKNOWN_COLLECTION_OR_TABLE: { scope: 'SCHEMA', title: 'Collection or Table does not exist in the Keyspace' },
  UNSUPPORTED_SCHEMA_NAME: { scope: 'SCHEMA', title: 'The used schema name is not supported' },
  VECTOR_SEARCH_NOT_SUPPORTED: { scope: 'SCHEMA', title: 'Vector search not enabled for collection' },
  VECTOR_SEARCH_TOO_BIG_VALUE: { scope: 'SCHEMA', title: 'Vector embedding property too big' },
  VECTORIZE_FEATURE_NOT_AVAILABLE: { scope: 'SCHEMA', title: 'Vectorize feature not available' },
  CANNOT_SORT_ON_SPECIAL_WITH_OTHERS: { scope: 'SORT', title: 'Special sort combined with other sort expressions' },
  CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX: {
    scope: 'SORT',
    title: 'Limit exceeds the maximum allowed for vector sort',
  },
  CANNOT_VECTOR_SORT_WITH_SKIP_OPTION: { scope: 'SORT', title: 'Skip option cannot be used with  vector sort' },
  SORT_CLAUSE_INVALID: { scope: 'SORT', title: 'Sort clause used by command not valid' },
  SORT_CLAUSE_PATH_INVALID: { scope: 'SORT', title: 'Path used in sort clause not valid' },
  SORT_CLAUSE_PATH_UNINDEXED: { scope: 'SORT', title: 'Collection field used in sort clause not indexed' },
  SORT_CLAUSE_VALUE_INVALID: { scope: 'SORT', title: 'Value used for sort expression not valid' },
  UNSUPPORTED_VECTOR_SORT_FOR_COLLECTION: { scope: 'SORT', title: 'Vector sorting not supported by the collection' },
  UNSUPPORTED_VECTORIZE_SORT_FOR_COLLECTION: {
    scope: 'SORT',
    title: 'Vectorize sorting not supported by the collection',
  },
  DEPRECATED_COMMAND: { scope: 'WARNING', title: 'Deprecated command' },
  // Tables: their schema, rows, filters, sorts and updates, and the warnings of inefficient reads.
  MISSING_PRIMARY_KEY_COLUMNS: { scope: 'DOCUMENT', title: 'Primary key columns missing' },
  DOCUMENT_UNKNOWN_TABLE_COLUMNS: {
    scope: 'DOCUMENT',
    title: 'Columns in documents are not defined in the table schema',
    code: 'UNKNOWN_TABLE_COLUMNS',
  },
  INVALID_COLUMN_VALUES: { scope: 'DOCUMENT', title: 'Column values in documents are not valid' },
  FILTER_UNKNOWN_TABLE_COLUMNS: {
    scope: 'FILTER',
    title: 'Columns in the filter are not defined in the table schema',
    code: 'UNKNOWN_TABLE_COLUMNS',
  },
  INVALID_FILTER_COLUMN_VALUES: { scope: 'FILTER', title: 'Column value in filter is not valid' },
  INVALID_MAP_SET_LIST_FILTER: {
    scope: 'FILTER',
    title: 'Command has invalid filter against a map, set, or list column',
  },
  UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES: {
    scope: 'FILTER',
    title: 'Column types in the filter do not support the filter operations',
  },
  UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION: {
    scope: 'FILTER',
    title: 'Duration data type does not support comparison filters',
  },
  MISSING_FILTER_FOR_UPDATE_DELETE: { scope: 'FILTER', title: 'Update and delete commands require a filter' },
  UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE: {
    scope: 'FILTER',
    title: 'updateOne and deleteOne commands only support filtering using $eq',
  },
  UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE: {
    scope: 'FILTER',
    title: 'Update and delete commands only support filtering on the primary key',
  },
  MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE: {
    scope: 'FILTER',
    title: 'updateOne and deleteOne commands require filtering on the full primary key',
  },
  INVALID_PRIMARY_KEY_FILTER: { scope: 'FILTER', title: 'Primary key filtering must specify columns in schema order' },
  CANNOT_SORT_UNKNOWN_COLUMNS: { scope: 'SORT', title: 'Sorted columns are not defined in the table schema' },
  CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS: { scope: 'SORT', title: 'Vector sort columns are not `vector` type' },
  CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS: {
    scope: 'SORT',
    title: 'Vector sort cannot be used for non indexed vector columns',
  },
  CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS: {
    scope: 'SORT',
    title: 'Vector sort cannot be used with non vector sorting',
  },
  CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS: {
    scope: 'SORT',
    title: 'Vector sort cannot be used with mismatched vector dimensions',
  },
  CANNOT_SORT_ON_MULTIPLE_VECTORS: { scope: 'SORT', title: 'More than one vector sort provided' },
  INVALID_REGULAR_SORT_EXPRESSION: { scope: 'SORT', title: 'Sort expression is not valid for regular sort' },
  INVALID_VECTOR_SORT_EXPRESSION: { scope: 'SORT', title: 'Sort expression is not valid for vector/vectorize sort' },
  UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND: {
    scope: 'SORT',
    title: 'Sorting not supported by delete command on tables',
  },
  UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND: {
    scope: 'SORT',
    title: 'Sorting not supported by update command on tables',
  },
  UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING: {
    scope: 'SORT',
    title: 'Pagination not supported when using in-memory sorting',
  },
  CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION: {
    scope: 'SORT',
    title: 'Vectorize sort not supported on column with missing vectorize configuration',
  },
  UPDATE_UNKNOWN_TABLE_COLUMNS: {
    scope: 'UPDATE',
    title: 'Columns in the update are not defined in the table schema',
    code: 'UNKNOWN_TABLE_COLUMNS',
  },
  INVALID_UPDATE_COLUMN_VALUES: { scope: 'UPDATE', title: 'Column value in update clause is not valid' },
  UNSUPPORTED_UPDATE_OPERATOR: { scope: 'UPDATE', title: 'Update operator is not supported by target columns' },
  UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS: { scope: 'UPDATE', title: 'Primary key columns cannot be updated' },
  UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE: { scope: 'UPDATE', title: 'Update operation not supported by tables' },
  PROJECTION_UNKNOWN_TABLE_COLUMNS: {
    scope: 'PROJECTION',
    title: 'Columns in the projection are not defined in the table schema',
    code: 'UNKNOWN_TABLE_COLUMNS',
  },
  CANNOT_ADD_EXISTING_COLUMNS: { scope: 'SCHEMA', title: 'Columns with the same name are defined in the table schema' },
  CANNOT_ADD_EXISTING_FIELD: { scope: 'SCHEMA', title: 'Field with the same name are defined in the type definition' },
  CANNOT_DROP_PRIMARY_KEY_COLUMNS: {
    scope: 'SCHEMA',
    title: 'Primary key columns cannot be dropped from the table schema',
  },
  CANNOT_DROP_TYPE_USED_BY_TABLE: { scope: 'SCHEMA', title: 'Type cannot be dropped if used by tables' },
  CANNOT_DROP_UNKNOWN_COLUMNS: {
    scope: 'SCHEMA',
    title: 'Columns cannot be dropped if they are not defined in the table schema',
  },
  CANNOT_DROP_INDEXED_COLUMNS: { scope: 'SCHEMA', title: 'Columns used in the indexes cannot be dropped' },
  CANNOT_RENAME_UNKNOWN_TYPE_FIELD: {
    scope: 'SCHEMA',
    title: 'Field cannot be renamed if it is not defined in the type',
  },
  MISSING_PARTITION_COLUMNS: { scope: 'SCHEMA', title: 'Partitioning keys are required for tables' },
  MISSING_ALTER_TABLE_OPERATIONS: { scope: 'SCHEMA', title: 'Alter table command must include operations' },
  MISSING_ALTER_TYPE_OPERATIONS: { scope: 'SCHEMA', title: 'Alter type command must include operations' },
  MISSING_DIMENSION_IN_VECTOR_COLUMN: {
    scope: 'SCHEMA',
    title: 'Dimension is required for vector column if embedding service is not specified',
  },
  MISSING_FIELDS_FOR_TYPE_CREATION: { scope: 'SCHEMA', title: 'At least one field is required for type creation' },
  UNKNOWN_PARTITION_SORT_COLUMNS: {
    scope: 'SCHEMA',
    title: 'Partition sort columns are not defined in the table schema',
  },
  UNKNOWN_PARTITION_COLUMNS: { scope: 'SCHEMA', title: 'Partition columns are not defined in the table schema' },
  UNKNOWN_USER_DEFINED_TYPE: { scope: 'SCHEMA', title: 'User defined type is unknown' },
  UNKNOWN_PRIMITIVE_DATA_TYPE: { scope: 'SCHEMA', title: 'Primitive data type is unknown' },
  UNSUPPORTED_DATA_TYPE_TABLE_CREATION: { scope: 'SCHEMA', title: 'Table creation with unsupported data types' },
  UNSUPPORTED_MAP_DEFINITION: { scope: 'SCHEMA', title: 'Map definition contains unsupported data types' },
  UNSUPPORTED_LIST_DEFINITION: { scope: 'SCHEMA', title: 'List definition contains unsupported data types' },
  UNSUPPORTED_SET_DEFINITION: { scope: 'SCHEMA', title: 'Set definition contains unsupported data types' },
  UNSUPPORTED_TYPE_FIELDS: { scope: 'SCHEMA', title: 'Type definition contains unsupported fields.' },
  UNSUPPORTED_VECTOR_DIMENSION: { scope: 'SCHEMA', title: 'Vector definition contains unsupported dimension' },
  UNKNOWN_INDEX_COLUMN: { scope: 'SCHEMA', title: 'Index column is not defined in the table schema' },
  UNSUPPORTED_INDEXING_FOR_DATA_TYPES: { scope: 'SCHEMA', title: 'Indexing not supported by data types' },
  UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES: { scope: 'SCHEMA', title: 'Text index not supported by data types' },
  UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES: { scope: 'SCHEMA', title: 'Vector index not supported by data types' },
  UNKNOWN_VECTOR_METRIC: { scope: 'SCHEMA', title: 'Vector metric is unknown' },
  CANNOT_DROP_UNKNOWN_INDEX: { scope: 'SCHEMA', title: 'Dropped index is not defined in the keyspace schema' },
  CANNOT_DROP_UNKNOWN_TABLE: { scope: 'SCHEMA', title: 'Dropped table is not defined in the keyspace schema' },
  CANNOT_DROP_UNKNOWN_TYPE: { scope: 'SCHEMA', title: 'Dropped type is not defined in the keyspace schema' },
  CANNOT_ADD_EXISTING_TABLE: { scope: 'SCHEMA', title: 'Table with the same name exists in the keyspace schema' },
  CANNOT_ADD_EXISTING_TYPE: { scope: 'SCHEMA', title: 'Type with the same name exists in the keyspace schema' },
  CANNOT_ADD_EXISTING_INDEX: { scope: 'SCHEMA', title: 'Index with the same name exists in the keyspace schema' },
  INVALID_INDEX_DEFINITION: { scope: 'SCHEMA', title: 'Provided index configuration is not valid.' },
  COLUMN_TYPE_INCORRECT: {
    scope: 'SCHEMA',
    title: 'Column data type not provided or format invalid in the definition',
  },
  PRIMARY_KEY_DEFINITION_INCORRECT: { scope: 'SCHEMA', title: 'Primary key definition provided is incorrect.' },
  INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN: {
    scope: 'SCHEMA',
    title: 'Unable to create index, format for index creation column is invalid.',
  },
  INVALID_USER_DEFINED_TYPE_NAME: { scope: 'SCHEMA', title: 'User defined type name is not valid.' },
  CANNOT_DROP_VECTORIZE_FROM_UNKNOWN_COLUMNS: {
    scope: 'SCHEMA',
    title: 'Vectorize configuration cannot be dropped from columns if they are not defined in the table schema',
  },
  MISSING_INDEX: { scope: 'WARNING', title: 'Filter includes columns that are not indexed' },
  NOT_EQUALS_UNSUPPORTED_BY_INDEXING: { scope: 'WARNING', title: 'Use of $ne (not equals) on indexed columns' },
  COMPARISON_FILTER_UNSUPPORTED_BY_INDEXING: {
    scope: 'WARNING',
    title: 'Use of $lt, $gt, $lte, $gte (comparison filter) on indexed columns',
  },
  NOT_IN_FILTER_UNSUPPORTED_BY_INDEXING: { scope: 'WARNING', title: 'Use of $nin on indexed columns' },
  ZERO_FILTER_OPERATIONS: { scope: 'WARNING', title: 'Zero operations provided in query filter' },
  INCOMPLETE_PRIMARY_KEY_FILTER: { scope: 'WARNING', title: 'Incomplete filter on table primary key' },
  IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING: {
    scope: 'WARNING',
    title: 'Sorting by non partition sorting columns',
  },
  IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED: {
    scope: 'WARNING',
    title: 'Sorting with partition key not restricted correctly in filter clause',
  },
  IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING: {
    scope: 'WARNING',
    title: 'Sorting with missing partition sorting columns',
  },
  IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING: {
    scope: 'WARNING',
    title: 'Sorting on out of order partition sorting columns',
  },
  UNAVAILABLE_DATABASE: { scope: 'DATABASE', family: 'SERVER', title: 'The database is unavailable' },
  UNEXPECTED_SERVER_ERROR: { scope: '', family: 'SERVER', title: 'Unexpected server error', httpStatus: 500 },
} satisfies Record<string, ErrorKind>;

export type DataApiErrorCode = keyof typeof KINDS;

export interface DataApiErrorBody {
  id: string;
  family: 'REQUEST' | 'SERVER';
  scope: string;
  errorCode: string;
  title: string;
  message: string;
  documentIds?: unknown[];
}

export class DataApiError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly code: DataApiErrorCode,
    message: string,
    readonly documentIds?: unknown[],
    httpStatus?: number,
  ) {
    super(message);
    this.httpStatus = httpStatus ?? (KINDS[code] as ErrorKind).httpStatus ?? 200;
  }

  toJSON(): DataApiErrorBody {
    const kind: ErrorKind = KINDS[this.code];
    return {
      id: randomUUID(),
      family: kind.family ?? 'REQUEST',
      scope: kind.scope,
      errorCode: kind.code ?? this.code,
      title: kind.title,
      message: this.message,
      ...(this.documentIds ? { documentIds: this.documentIds } : {}),
    };
  }
}

/** Shorthand for throwing a Data API error. */
export function fail(code: DataApiErrorCode, message: string): never {
  throw new DataApiError(code, message);
}

/** The response body carrying one or more errors. */
export function errorResponse(errors: DataApiError[], rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...rest, errors: errors.map((e) => e.toJSON()) };
}
