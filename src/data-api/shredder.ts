import { isIndexedPath, type CollectionSettings } from './collection-settings.js';
import { fail } from './data-api-errors.js';
import type { DocumentLimits } from './limits.js';
import {
  idKey,
  isObject,
  isTypedValue,
  isValidIdType,
  normalizeTyped,
  scalarIndexValue,
  wholeIndexValue,
  Kind,
  type IndexValue,
  type Json,
  type JsonObject,
} from './typed-values.js';
import { parseVector } from './vectors.js';

/**
 * One row of a document's index: a value found at a path. `direct` marks the path's own value (not an
 * element of an array there, nor its size): the one value a sort on the path orders by.
 */
export interface IndexEntry extends IndexValue {
  path: string;
  direct: boolean;
}

/** A document ready to store: its id key, its text (without `$vector`), its vector, and its index entries. */
export interface ShreddedDocument {
  id: Json;
  idKey: string;
  text: string;
  vector: Float32Array | null;
  entries: IndexEntry[];
}

const SPECIAL_TOP_LEVEL = new Set(['$vector', '$vectorize', '$lexical']);

/**
 * Checks a document against the collection's rules and the limits, and turns it into what the store
 * keeps: the document text, the vector apart, and one index entry per indexed value.
 */
export function shred(document: JsonObject, settings: CollectionSettings, limits: DocumentLimits): ShreddedDocument {
  if (!isObject(document)) fail('SHRED_BAD_DOCUMENT_TYPE', 'A document must be a JSON object.');
  const size = JSON.stringify(document).length;
  if (size > limits.maxDocumentSize)
    fail(
      'SHRED_DOC_LIMIT_VIOLATION',
      `The document is ${size} characters long, above the maximum of ${limits.maxDocumentSize}.`,
    );
  const { $vector: rawVector, $vectorize: vectorize, $lexical: lexical, ...rest } = document;
  if (vectorize !== undefined && vectorize !== null) {
    fail(
      'EMBEDDING_SERVICE_NOT_CONFIGURED',
      'The collection has no embedding service, so $vectorize cannot be used: Orrery calls no embedding provider. Send $vector instead.',
    );
  }
  if (lexical !== undefined && lexical !== null)
    fail(
      'LEXICAL_NOT_ENABLED_FOR_COLLECTION',
      'The collection does not have lexical search enabled, so $lexical cannot be used.',
    );
  const vector = rawVector === undefined || rawVector === null ? null : checkedVector(rawVector, settings);

  const id = rest._id;
  if (id === undefined) throw new Error('shred() needs a document with an _id');
  if (!isValidIdType(id))
    fail(
      'SHRED_BAD_DOCID_TYPE',
      `_id must be a string, number, boolean, or a $date, $uuid or $objectId value, not ${JSON.stringify(id)}.`,
    );
  const normalized = { ...rest, _id: isTypedValue(id) ? normalizeTyped(id) : id };

  const walker = new Walker(settings, limits);
  walker.object(normalized, '', 1);
  return {
    id: normalized._id!,
    idKey: idKey(normalized._id),
    text: JSON.stringify(normalized),
    vector,
    entries: walker.entries,
  };
}

function checkedVector(value: Json, settings: CollectionSettings): Float32Array {
  if (!settings.vector)
    fail('VECTOR_SEARCH_NOT_SUPPORTED', 'The collection is not vector-enabled, so documents cannot have $vector.');
  const vector = parseVector(value, 'document');
  if (vector.length !== settings.vector.dimension) {
    fail(
      'INVALID_VECTOR_LENGTH',
      `$vector has ${vector.length} dimensions; the collection's vectors have ${settings.vector.dimension}.`,
    );
  }
  return vector;
}

class Walker {
  readonly entries: IndexEntry[] = [];
  #indexedProperties = 0;

  constructor(
    private readonly settings: CollectionSettings,
    private readonly limits: DocumentLimits,
  ) {}

  object(value: JsonObject, path: string, depth: number): void {
    if (depth > this.limits.maxDepth)
      fail(
        'SHRED_DOC_LIMIT_VIOLATION',
        `The document nests deeper than ${this.limits.maxDepth} levels at ${path || 'its root'}.`,
      );
    const keys = Object.keys(value);
    if (keys.length > this.limits.maxObjectProperties) {
      fail(
        'SHRED_DOC_LIMIT_VIOLATION',
        `The object at ${path || 'the root'} has ${keys.length} properties, above the maximum of ${this.limits.maxObjectProperties}.`,
      );
    }
    for (const key of keys) {
      if (!validFieldName(key, path))
        fail(
          'SHRED_BAD_FIELD_NAME',
          `"${key}" is not a valid field name: names are not empty, hold no "." and do not start with "$".`,
        );
      const child = path ? `${path}.${key}` : key;
      if (child.length > this.limits.maxPathLength)
        fail(
          'SHRED_DOC_LIMIT_VIOLATION',
          `The path ${child.slice(0, 40)}... is longer than ${this.limits.maxPathLength} characters.`,
        );
      this.value(value[key]!, child, depth);
    }
  }

  value(value: Json, path: string, depth: number): void {
    const indexed = isIndexedPath(this.settings, path);
    if (indexed && ++this.#indexedProperties > this.limits.maxDocumentProperties) {
      fail(
        'SHRED_DOC_LIMIT_VIOLATION',
        `The document has more than ${this.limits.maxDocumentProperties} indexed properties.`,
      );
    }
    const scalar = scalarIndexValue(value);
    if (scalar) {
      this.#checkScalar(value, path, indexed);
      if (indexed) this.entries.push({ path, direct: true, ...scalar });
      return;
    }
    if (Array.isArray(value)) {
      this.#array(value, path, depth, indexed);
      return;
    }
    const object = value as JsonObject;
    if (indexed) this.entries.push({ path, direct: true, ...wholeIndexValue(object) });
    this.object(object, path, depth + 1);
  }

  #array(value: Json[], path: string, depth: number, indexed: boolean): void {
    if (depth + 1 > this.limits.maxDepth)
      fail('SHRED_DOC_LIMIT_VIOLATION', `The document nests deeper than ${this.limits.maxDepth} levels at ${path}.`);
    if (indexed && value.length > this.limits.maxArrayLength) {
      fail(
        'SHRED_DOC_LIMIT_VIOLATION',
        `The array at ${path} has ${value.length} elements, above the maximum of ${this.limits.maxArrayLength} for indexed arrays.`,
      );
    }
    if (indexed) {
      this.entries.push(
        { path, direct: true, ...wholeIndexValue(value) },
        { path, direct: false, kind: Kind.SIZE, num: value.length, txt: null },
      );
      // An array matches an equality on any of its elements, so each element is indexed at the array's path too.
      for (const element of value) {
        const scalar = scalarIndexValue(element);
        if (scalar) this.entries.push({ path, direct: false, ...scalar });
        else if (isObject(element)) this.entries.push({ path, direct: false, ...wholeIndexValue(element) });
      }
    }
    value.forEach((element, i) => this.value(element, `${path}.${i}`, depth + 1));
  }

  #checkScalar(value: Json, path: string, indexed: boolean): void {
    if (typeof value === 'number' && String(value).length > this.limits.maxNumberLength) {
      fail(
        'SHRED_DOC_LIMIT_VIOLATION',
        `The number at ${path} is longer than ${this.limits.maxNumberLength} characters.`,
      );
    }
    if (indexed && typeof value === 'string' && Buffer.byteLength(value) > this.limits.maxStringBytes) {
      fail(
        'SHRED_DOC_LIMIT_VIOLATION',
        `The string at ${path} is ${Buffer.byteLength(value)} bytes long, above the maximum of ${this.limits.maxStringBytes} for indexed strings.`,
      );
    }
  }
}

function validFieldName(key: string, parentPath: string): boolean {
  if (key === '' || key.includes('.')) return false;
  if (key.startsWith('$')) return parentPath === '' && SPECIAL_TOP_LEVEL.has(key);
  return true;
}
