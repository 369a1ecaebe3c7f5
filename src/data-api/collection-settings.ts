import { fail } from './data-api-errors.js';
import { isObject, type Json, type JsonObject } from './typed-values.js';
import { METRICS, type Metric } from './vectors.js';

export const DEFAULT_ID_TYPES = ['objectId', 'uuid', 'uuidv6', 'uuidv7'] as const;
export type DefaultIdType = (typeof DEFAULT_ID_TYPES)[number];

/** A collection's options as createCollection takes them and findCollections echoes them. */
export interface CollectionSettings {
  defaultId?: { type: DefaultIdType };
  vector?: { dimension: number; metric: Metric; sourceModel: string };
  indexing?: { allow: string[] } | { deny: string[] };
  lexical: { enabled: false };
  rerank: { enabled: false };
}

const SOURCE_MODELS = new Set([
  'ada002',
  'bert',
  'cohere-v3',
  'gecko',
  'nv-qa-4',
  'openai-v3-large',
  'openai-v3-small',
  'other',
]);

/** Reads createCollection's options (their names are checked with the command's fields); anything Orrery cannot honour (an embedding service, lexical search, reranking) is refused. */
export function parseCollectionSettings(options: Json | undefined, maxDimension: number): CollectionSettings {
  const settings: CollectionSettings = { lexical: { enabled: false }, rerank: { enabled: false } };
  if (options === undefined || options === null) return settings;
  if (!isObject(options)) fail('INVALID_CREATE_COLLECTION_OPTIONS', 'options must be an object.');
  if (options.defaultId !== undefined && options.defaultId !== null)
    settings.defaultId = parseDefaultId(options.defaultId);
  if (options.vector !== undefined && options.vector !== null)
    settings.vector = parseVectorOptions(options.vector, maxDimension);
  if (options.indexing !== undefined && options.indexing !== null) settings.indexing = parseIndexing(options.indexing);
  for (const feature of ['lexical', 'rerank'] as const) {
    const value = options[feature];
    if (isObject(value) && value.enabled === true) {
      fail(
        'INVALID_CREATE_COLLECTION_OPTIONS',
        `Orrery has no ${feature === 'lexical' ? 'text analyzer for lexical search' : 'reranking provider'}; create the collection with "${feature}": {"enabled": false} or without it.`,
      );
    }
  }
  return settings;
}

function parseDefaultId(value: Json): { type: DefaultIdType } {
  const type = isObject(value) ? value.type : undefined;
  if (typeof type !== 'string' || !(DEFAULT_ID_TYPES as readonly string[]).includes(type)) {
    fail('INVALID_CREATE_COLLECTION_OPTIONS', `defaultId.type must be one of ${DEFAULT_ID_TYPES.join(', ')}.`);
  }
  return { type: type as DefaultIdType };
}

function parseVectorOptions(value: Json, maxDimension: number): NonNullable<CollectionSettings['vector']> {
  if (!isObject(value)) fail('INVALID_CREATE_COLLECTION_OPTIONS', 'vector must be an object.');
  if (value.service !== undefined && value.service !== null) {
    fail(
      'VECTORIZE_FEATURE_NOT_AVAILABLE',
      'Orrery calls no embedding provider: create the collection without vector.service and send $vector values.',
    );
  }
  // "size" and "function" are the older names of "dimension" and "metric".
  const dimension = value.dimension ?? value.size;
  const metric = value.metric ?? value.function ?? 'cosine';
  const sourceModel = value.sourceModel ?? 'other';
  if (typeof dimension !== 'number' || !Number.isInteger(dimension) || dimension < 1) {
    fail('INVALID_CREATE_COLLECTION_OPTIONS', 'vector.dimension must be a positive whole number.');
  }
  if (dimension > maxDimension)
    fail('VECTOR_SEARCH_TOO_BIG_VALUE', `vector.dimension ${dimension} is above the maximum of ${maxDimension}.`);
  if (typeof metric !== 'string' || !(METRICS as readonly string[]).includes(metric)) {
    fail(
      'INVALID_CREATE_COLLECTION_OPTIONS',
      `vector.metric must be one of ${METRICS.join(', ')}, not ${JSON.stringify(metric)}.`,
    );
  }
  if (typeof sourceModel !== 'string' || !SOURCE_MODELS.has(sourceModel)) {
    fail('INVALID_CREATE_COLLECTION_OPTIONS', `vector.sourceModel must be one of ${[...SOURCE_MODELS].join(', ')}.`);
  }
  return { dimension, metric: metric as Metric, sourceModel };
}

function parseIndexing(value: Json): NonNullable<CollectionSettings['indexing']> {
  if (!isObject(value)) fail('INVALID_INDEXING_DEFINITION', 'indexing must be an object with "allow" or "deny".');
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'allow' && keys[0] !== 'deny')) {
    fail('INVALID_INDEXING_DEFINITION', 'indexing takes exactly one of "allow" and "deny".');
  }
  const list = value[keys[0]];
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p !== '')) {
    fail('INVALID_INDEXING_DEFINITION', `indexing.${keys[0]} must be an array of non-empty paths.`);
  }
  const paths = list as string[];
  if (new Set(paths).size !== paths.length)
    fail('INVALID_INDEXING_DEFINITION', `indexing.${keys[0]} lists a path twice.`);
  if (paths.includes('*') && paths.length > 1)
    fail('INVALID_INDEXING_DEFINITION', `indexing.${keys[0]} may hold "*" only on its own.`);
  return keys[0] === 'allow' ? { allow: paths } : { deny: paths };
}

/** True when the path is the rule's path or lies under it. */
function covers(rule: string, path: string): boolean {
  return rule === '*' || path === rule || path.startsWith(`${rule}.`);
}

/** Whether values at a path are indexed, so that filters and sorts may use it. `_id` always is. */
export function isIndexedPath(settings: Pick<CollectionSettings, 'indexing'>, path: string): boolean {
  if (path === '_id') return true;
  const indexing = settings.indexing;
  if (!indexing) return true;
  if ('allow' in indexing) return indexing.allow.some((rule) => covers(rule, path));
  return !indexing.deny.some((rule) => covers(rule, path));
}

/** The options as findCollections shows them: only what was set, plus the lexical and rerank switches. */
export function settingsForDisplay(settings: CollectionSettings): JsonObject {
  return JSON.parse(JSON.stringify(settings)) as JsonObject;
}
