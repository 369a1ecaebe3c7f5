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
}

const KINDS = {
  COMMAND_ACCEPTS_NO_OPTIONS: { scope: '', title: 'Command accepts no options' },
  COMMAND_FIELD_VALUE_INVALID: { scope: '', title: 'Command field value invalid' },
  COMMAND_FIELD_UNKNOWN: { scope: '', title: 'Command field unknown' },
  COMMAND_UNKNOWN: { scope: '', title: 'Command is not recognized by Data API' },
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
      errorCode: this.code,
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
