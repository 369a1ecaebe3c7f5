import { fail } from './data-api-errors.js';
import { canonical, isObject, isTypedValue, type Json, type JsonObject } from './typed-values.js';

const OPERATORS = [
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pop',
  '$addToSet',
  '$currentDate',
  '$setOnInsert',
  '$pullAll',
] as const;
type Operator = (typeof OPERATORS)[number];

export interface UpdateClause {
  operations: [Operator, JsonObject][];
}

/** Reads an update clause and checks that no two operations touch the same path. */
export function parseUpdate(update: Json | undefined): UpdateClause {
  if (!isObject(update))
    fail('MISSING_UPDATE_OPERATIONS', 'An update clause is a JSON object of update operators such as {"$set": {...}}.');
  const operations: [Operator, JsonObject][] = [];
  const seen = new Set<string>();
  for (const [operator, argument] of Object.entries(update)) {
    if (!(OPERATORS as readonly string[]).includes(operator))
      fail(
        'UNSUPPORTED_UPDATE_OPERATION',
        `${operator} is not an update operator; use one of ${OPERATORS.join(', ')}.`,
      );
    if (!isObject(argument))
      fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `${operator} takes an object of paths and values.`);
    for (const path of Object.keys(argument)) {
      const targets =
        operator === '$rename'
          ? [path, typeof argument[path] === 'string' ? argument[path] : JSON.stringify(argument[path])]
          : [path];
      for (const target of targets) {
        checkTarget(operator, target);
        const root = target.split('.')[0]!;
        if ([...seen].some((p) => p === target || p.startsWith(`${target}.`) || target.startsWith(`${p}.`))) {
          fail(
            'UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS',
            `The update changes ${target} (or a path around it) more than once.`,
          );
        }
        if (root === '$vectorize' || root === '$lexical')
          fail(
            'UNSUPPORTED_UPDATE_OPERATION_PATH',
            `${root} cannot be updated: the collection has no embedding service or lexical index.`,
          );
        seen.add(target);
      }
    }
    operations.push([operator as Operator, argument]);
  }
  if (operations.length === 0 || operations.every(([, argument]) => Object.keys(argument).length === 0)) {
    fail('MISSING_UPDATE_OPERATIONS', 'The update clause names no operation.');
  }
  return { operations };
}

function checkTarget(operator: string, path: string): void {
  if (path === '' || path.split('.').some((s) => s === ''))
    fail('UNSUPPORTED_UPDATE_OPERATION_PATH', `"${path}" is not a valid document path.`);
  if (path === '_id' || path.startsWith('_id.'))
    fail('UNSUPPORTED_UPDATE_OPERATOR_FOR_DOC_ID', `${operator} cannot change _id.`);
  if (path === '$vector' ? !['$set', '$unset', '$setOnInsert'].includes(operator) : path.startsWith('$vector.')) {
    fail('UNSUPPORTED_UPDATE_OPERATOR_FOR_VECTOR', `${operator} cannot be used on $vector; use $set or $unset.`);
  }
  if (path.startsWith('$') && path !== '$vector' && path !== '$vectorize' && path !== '$lexical') {
    fail('UNSUPPORTED_UPDATE_OPERATION_PATH', `"${path}" is not a valid document path.`);
  }
}

/** Applies the clause to a copy of the document; `inserting` applies $setOnInsert too. */
export function applyUpdate(document: JsonObject, clause: UpdateClause, now: Date, inserting: boolean): JsonObject {
  const result = structuredClone(document);
  for (const [operator, argument] of clause.operations) {
    for (const [path, value] of Object.entries(argument)) apply(result, operator, path, value, now, inserting);
  }
  return result;
}

function apply(
  document: JsonObject,
  operator: Operator,
  path: string,
  value: Json,
  now: Date,
  inserting: boolean,
): void {
  const current = read(document, path);
  switch (operator) {
    case '$set':
      return write(document, path, value);
    case '$setOnInsert':
      return inserting ? write(document, path, value) : undefined;
    case '$unset':
      return remove(document, path);
    case '$inc':
    case '$mul': {
      if (typeof value !== 'number')
        fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `${operator} on ${path} takes a number.`);
      if (current !== undefined && typeof current !== 'number')
        fail(
          'UNSUPPORTED_UPDATE_OPERATION_TARGET',
          `${operator} needs a number at ${path}, which holds ${JSON.stringify(current)}.`,
        );
      const base = current ?? (operator === '$inc' ? 0 : 0);
      return write(document, path, operator === '$inc' ? base + value : base * value);
    }
    case '$min':
    case '$max': {
      if (current === undefined) return write(document, path, value);
      const order = compareValues(value, current);
      if (operator === '$min' ? order < 0 : order > 0) write(document, path, value);
      return;
    }
    case '$rename': {
      if (typeof value !== 'string')
        fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `$rename on ${path} takes the new path as a string.`);
      if (current === undefined) return;
      remove(document, path);
      return write(document, value, current);
    }
    case '$currentDate': {
      const valid = value === true || (isObject(value) && value.$type === 'date' && Object.keys(value).length === 1);
      if (!valid)
        fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `$currentDate on ${path} takes true or {"$type": "date"}.`);
      return write(document, path, { $date: now.getTime() });
    }
    case '$push':
    case '$addToSet':
      return addToArray(document, operator, path, current, value);
    case '$pop': {
      if (value !== 1 && value !== -1)
        fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `$pop on ${path} takes 1 (last) or -1 (first).`);
      if (current === undefined) return;
      const array = arrayAt(current, operator, path);
      return write(document, path, value === 1 ? array.slice(0, -1) : array.slice(1));
    }
    case '$pullAll': {
      if (!Array.isArray(value))
        fail('UNSUPPORTED_UPDATE_OPERATION_PARAM', `$pullAll on ${path} takes an array of values.`);
      if (current === undefined) return;
      const removed = new Set(value.map(key));
      return write(
        document,
        path,
        arrayAt(current, operator, path).filter((element) => !removed.has(key(element))),
      );
    }
  }
}

function addToArray(
  document: JsonObject,
  operator: '$push' | '$addToSet',
  path: string,
  current: Json | undefined,
  value: Json,
): void {
  let items: Json[] = [value];
  let position: number | undefined;
  if (isObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
    const { $each: each, $position: at, ...others } = value;
    if (Object.keys(others).length > 0 || !Array.isArray(each)) {
      fail(
        operator === '$push' ? 'INVALID_PUSH_OPERATOR_USAGE' : 'UNSUPPORTED_UPDATE_OPERATION_MODIFIER',
        `${operator} on ${path} takes a value or {"$each": [...]${operator === '$push' ? ', "$position": n' : ''}}.`,
      );
    }
    if (at !== undefined) {
      if (operator !== '$push' || typeof at !== 'number' || !Number.isInteger(at))
        fail(
          'UNSUPPORTED_UPDATE_OPERATION_MODIFIER',
          `$position on ${path} takes a whole number and only works with $push.`,
        );
      position = at;
    }
    items = each;
  }
  const array = current === undefined ? [] : [...arrayAt(current, operator, path)];
  if (operator === '$addToSet') {
    const present = new Set(array.map(key));
    for (const item of items) {
      if (present.has(key(item))) continue;
      present.add(key(item));
      array.push(item);
    }
  } else {
    const index =
      position === undefined
        ? array.length
        : position < 0
          ? Math.max(array.length + position, 0)
          : Math.min(position, array.length);
    array.splice(index, 0, ...items);
  }
  write(document, path, array);
}

function arrayAt(value: Json, operator: string, path: string): Json[] {
  if (!Array.isArray(value))
    fail(
      'UNSUPPORTED_UPDATE_OPERATION_TARGET',
      `${operator} needs an array at ${path}, which holds ${JSON.stringify(value)}.`,
    );
  return value;
}

function key(value: Json): string {
  return JSON.stringify(canonical(value));
}

/** Orders values of one type by value, and values of different types by the index's kind order. */
function compareValues(a: Json, b: Json): number {
  const rank = (v: Json) =>
    v === null
      ? 1
      : typeof v === 'number'
        ? 2
        : typeof v === 'string'
          ? 3
          : typeof v === 'boolean'
            ? 6
            : isTypedValue(v) && '$date' in v
              ? 7
              : 8;
  const [ra, rb] = [rank(a), rank(b)];
  if (ra !== rb) return ra - rb;
  const value = (v: Json) =>
    isObject(v) && '$date' in v ? (v.$date as number) : typeof v === 'boolean' ? Number(v) : v;
  const [va, vb] = [value(a), value(b)];
  if (typeof va === 'number' && typeof vb === 'number') return va - vb;
  if (typeof va === 'string' && typeof vb === 'string') return va < vb ? -1 : va > vb ? 1 : 0;
  return 0;
}

/** The value at a dotted path; array positions are numbers. */
export function read(document: Json, path: string): Json | undefined {
  let node: Json | undefined = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

function write(document: JsonObject, path: string, value: Json): void {
  const segments = path.split('.');
  let node: Json = document;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    let next: Json | undefined =
      Array.isArray(node) && /^\d+$/.test(segment) ? node[Number(segment)] : isObject(node) ? node[segment] : undefined;
    if (next === undefined || next === null) {
      next = {};
      setChild(node, segment, next, path);
    } else if (!isObject(next) && !Array.isArray(next)) {
      fail(
        'UNSUPPORTED_UPDATE_OPERATION_TARGET',
        `${path} cannot be set: ${segments.slice(0, i + 1).join('.')} holds ${JSON.stringify(next)}.`,
      );
    }
    node = next;
  }
  setChild(node, segments.at(-1)!, value, path);
}

function setChild(node: Json, segment: string, value: Json, path: string): void {
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(segment))
      fail('UNSUPPORTED_UPDATE_OPERATION_TARGET', `${path} names "${segment}" inside an array; use a position.`);
    const index = Number(segment);
    while (node.length < index) node.push(null);
    node[index] = value;
  } else if (isObject(node)) {
    node[segment] = value;
  }
}

function remove(document: JsonObject, path: string): void {
  const segments = path.split('.');
  const parent = segments.length === 1 ? document : read(document, segments.slice(0, -1).join('.'));
  const last = segments.at(-1)!;
  if (Array.isArray(parent) && /^\d+$/.test(last)) {
    if (Number(last) < parent.length) parent[Number(last)] = null;
  } else if (isObject(parent)) {
    delete parent[last];
  }
}
