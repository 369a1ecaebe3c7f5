/** Limits on documents and commands, with the reference server's defaults. */
export interface DocumentLimits {
  /** Characters of a document's JSON. */
  maxDocumentSize: number;
  maxDepth: number;
  maxObjectProperties: number;
  /** Indexed properties in one document. */
  maxDocumentProperties: number;
  maxPathLength: number;
  maxNumberLength: number;
  /** Bytes of an indexed string. */
  maxStringBytes: number;
  /** Elements of an indexed array. */
  maxArrayLength: number;
  maxVectorDimension: number;
}

export interface CommandLimits {
  /** Properties a filter may name. */
  maxFilterProperties: number;
  /** Values of one `$in`, `$nin` or `$all`. */
  maxInValues: number;
  maxInsertManyDocuments: number;
  pageSize: number;
  /** Documents changed by one updateMany or deleteMany call before it answers with more to do. */
  maxUpdateOrDeletePerCall: number;
  maxCount: number;
  maxVectorSortLimit: number;
}

export const DOCUMENT_LIMITS: DocumentLimits = {
  maxDocumentSize: 4_000_000,
  maxDepth: 16,
  maxObjectProperties: 1000,
  maxDocumentProperties: 2000,
  maxPathLength: 1000,
  maxNumberLength: 100,
  maxStringBytes: 8000,
  maxArrayLength: 1000,
  maxVectorDimension: 4096,
};

export const COMMAND_LIMITS: CommandLimits = {
  maxFilterProperties: 64,
  maxInValues: 100,
  maxInsertManyDocuments: 100,
  pageSize: 50,
  maxUpdateOrDeletePerCall: 20,
  maxCount: 1000,
  maxVectorSortLimit: 1000,
};
