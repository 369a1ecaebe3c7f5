import { fail } from './data-api-errors.js';
import { isObject, type Json, type JsonObject } from './typed-values.js';

export type Projector = (document: JsonObject) => JsonObject;

interface Rule {
  path: string[];
  include: boolean;
  slice?: [number, number | undefined];
}

/**
 * Builds the function that shapes returned documents. Without a projection, documents come back
 * whole except `$vector`; `{"*": 1}` returns everything and `{"*": 0}` nothing. Inclusions and
 * exclusions do not mix, except `_id`, which is included unless excluded.
 */
export function makeProjector(projection: Json | undefined): Projector {
  if (projection === undefined || projection === null) return withoutVector;
  if (!isObject(projection)) fail('UNSUPPORTED_PROJECTION_DEFINITION', 'The projection must be a JSON object.');
  const entries = Object.entries(projection);
  if (entries.length === 0) return withoutVector;
  if ('*' in projection) {
    if (entries.length > 1) fail('UNSUPPORTED_PROJECTION_DEFINITION', 'A "*" projection stands alone.');
    const all = projection['*'];
    if (all === 1 || all === true) return (d) => d;
    if (all === 0 || all === false) return () => ({});
    fail('UNSUPPORTED_PROJECTION_PARAM', '"*" takes 1 or 0.');
  }
  const rules = entries.map(([path, value]) => parseRule(path, value));
  const general = rules.filter((r) => r.path.join('.') !== '_id' && !r.slice);
  const including = general.some((r) => r.include);
  if (including && general.some((r) => !r.include))
    fail(
      'UNSUPPORTED_PROJECTION_DEFINITION',
      'A projection either includes or excludes fields; it cannot do both (except for _id).',
    );
  const idRule = rules.find((r) => r.path.join('.') === '_id');
  const slices = rules.filter((r) => r.slice);
  return (document) => {
    let shaped: JsonObject;
    if (including) {
      shaped = {};
      if (idRule?.include !== false && '_id' in document) shaped._id = document._id!;
      for (const rule of general) copyPath(document, shaped, rule.path);
      for (const rule of slices) copyPath(document, shaped, rule.path);
    } else {
      shaped = withoutVector(structuredClone(document));
      for (const rule of general) removePath(shaped, rule.path);
      if (idRule?.include === false) delete shaped._id;
    }
    for (const rule of slices) applySlice(shaped, rule);
    return shaped;
  };
}

function parseRule(path: string, value: Json): Rule {
  if (
    path === '' ||
    path.split('.').some((s) => s === '') ||
    (path.startsWith('$') && path !== '$vector' && path !== '$vectorize')
  ) {
    fail('UNSUPPORTED_PROJECTION_PARAM', `"${path}" is not a path that can be projected.`);
  }
  const segments = path.split('.');
  if (value === 1 || value === true) return { path: segments, include: true };
  if (value === 0 || value === false) return { path: segments, include: false };
  if (isObject(value) && '$slice' in value && Object.keys(value).length === 1) {
    const slice = value.$slice;
    if (typeof slice === 'number' && Number.isInteger(slice))
      return { path: segments, include: true, slice: slice >= 0 ? [0, slice] : [slice, undefined] };
    if (
      Array.isArray(slice) &&
      slice.length === 2 &&
      Number.isInteger(slice[0]) &&
      Number.isInteger(slice[1]) &&
      (slice[1] as number) > 0
    ) {
      return { path: segments, include: true, slice: [slice[0] as number, slice[1] as number] };
    }
    fail('UNSUPPORTED_PROJECTION_PARAM', `$slice on ${path} takes a whole number or [skip, positive count].`);
  }
  return fail(
    'UNSUPPORTED_PROJECTION_PARAM',
    `The projection of ${path} must be 1, 0, true, false or {"$slice": ...}.`,
  );
}

function withoutVector(document: JsonObject): JsonObject {
  if (!('$vector' in document)) return document;
  const { $vector: _vector, ...rest } = document;
  return rest;
}

function copyPath(from: JsonObject, to: JsonObject, path: string[]): void {
  const [head, ...rest] = path;
  if (!(head! in from)) return;
  const value = from[head!]!;
  if (rest.length === 0) {
    to[head!] = structuredClone(value);
    return;
  }
  if (isObject(value)) {
    const target = isObject(to[head!]) ? (to[head!] as JsonObject) : {};
    copyPath(value, target, rest);
    if (Object.keys(target).length > 0) to[head!] = target;
  } else if (Array.isArray(value)) {
    // A path through an array projects the same path inside each object element.
    to[head!] = value.filter(isObject).map((element) => {
      const target: JsonObject = {};
      copyPath(element, target, rest);
      return target;
    });
  }
}

function removePath(document: JsonObject, path: string[]): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    delete document[head!];
    return;
  }
  const value = document[head!];
  if (isObject(value)) removePath(value, rest);
  else if (Array.isArray(value)) for (const element of value) if (isObject(element)) removePath(element, rest);
}

function applySlice(document: JsonObject, rule: Rule): void {
  const parent = rule.path
    .slice(0, -1)
    .reduce<Json | undefined>((node, segment) => (isObject(node) ? node[segment] : undefined), document);
  const last = rule.path.at(-1)!;
  if (!isObject(parent) || !Array.isArray(parent[last])) return;
  const array = parent[last];
  const [start, count] = rule.slice!;
  const from = start < 0 ? Math.max(array.length + start, 0) : start;
  parent[last] = array.slice(from, count === undefined ? undefined : from + count);
}
