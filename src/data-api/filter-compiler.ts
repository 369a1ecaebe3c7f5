import { sql, type RawBuilder } from 'kysely';
import { isIndexedPath, type CollectionSettings } from './collection-settings.js';
import type { DataStore } from './data-plane.js';
import { fail } from './data-api-errors.js';
import type { CommandLimits } from './limits.js';
import {
  equalityIndexValue,
  idKey,
  isObject,
  isTypedValue,
  isValidIdType,
  scalarIndexValue,
  Kind,
  type IndexValue,
  type Json,
  type JsonObject,
} from './typed-values.js';

export interface FilterContext {
  store: DataStore;
  collectionId: number;
  settings: CollectionSettings;
  limits: Pick<CommandLimits, 'maxFilterProperties' | 'maxInValues'>;
}

type Condition = RawBuilder<unknown>;

const TRUE = sql`1 = 1`;
const FALSE = sql`1 = 0`;
const COMPARISONS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
const PATH_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$all',
  '$size',
  '$not',
]);

/**
 * Translates a filter clause into a SQL condition on the documents table (aliased `d`). Every
 * comparison is a lookup in the index entries by (collection, path, kind, value), so equality and
 * range filters on indexed paths read the index, never the whole collection.
 */
export function compileFilter(filter: Json | undefined, context: FilterContext): Condition {
  if (filter === undefined || filter === null) return TRUE;
  if (!isObject(filter)) fail('FILTER_INVALID_EXPRESSION', 'The filter must be a JSON object.');
  const counter = { properties: 0 };
  return new FilterCompiler(context, counter).clause(filter);
}

class FilterCompiler {
  constructor(
    private readonly context: FilterContext,
    private readonly counter: { properties: number },
  ) {}

  clause(filter: JsonObject): Condition {
    const parts = Object.entries(filter).map(([key, value]) => this.#member(key, value));
    return parts.length === 0 ? TRUE : parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`;
  }

  #member(key: string, value: Json): Condition {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0 || !value.every(isObject)) {
        fail('FILTER_INVALID_EXPRESSION', `${key} takes a non-empty array of filter objects.`);
      }
      const parts = value.map((f) => this.clause(f));
      return sql`(${sql.join(parts, key === '$and' ? sql` AND ` : sql` OR `)})`;
    }
    if (key === '$not') {
      if (!isObject(value)) fail('FILTER_INVALID_EXPRESSION', '$not takes a filter object.');
      return sql`NOT (${this.clause(value)})`;
    }
    if (key.startsWith('$') && key !== '$vector')
      fail('FILTER_UNSUPPORTED_OPERATOR', `${key} is not a filter operator that Orrery supports here.`);
    if (++this.counter.properties > this.context.limits.maxFilterProperties) {
      fail(
        'FILTER_FIELDS_LIMIT_VIOLATION',
        `The filter names more than ${this.context.limits.maxFilterProperties} properties.`,
      );
    }
    checkPath(key);
    if (key === '$vector') return this.#vectorFilter(value);
    if (!isIndexedPath(this.context.settings, key)) {
      fail(
        'FILTER_PATH_UNINDEXED',
        `The filter uses the path ${key}, which the collection's indexing options leave out.`,
      );
    }
    if (isObject(value) && !isTypedValue(value) && Object.keys(value).some((k) => k.startsWith('$')))
      return this.#operators(key, value);
    return this.#equals(key, value);
  }

  #operators(path: string, expression: JsonObject): Condition {
    const ranges: [string, Json][] = [];
    const parts: Condition[] = [];
    for (const [operator, operand] of Object.entries(expression)) {
      if (!operator.startsWith('$'))
        fail('FILTER_INVALID_EXPRESSION', `The filter on ${path} mixes operators with the field ${operator}.`);
      if (!PATH_OPERATORS.has(operator))
        fail('FILTER_UNSUPPORTED_OPERATOR', `${operator} is not a filter operator that Orrery supports.`);
      if (operator in COMPARISONS) ranges.push([operator, operand]);
      else parts.push(this.#operator(path, operator, operand));
    }
    if (ranges.length) parts.push(this.#range(path, ranges));
    return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`;
  }

  #operator(path: string, operator: string, operand: Json): Condition {
    switch (operator) {
      case '$eq':
        return this.#equals(path, operand);
      case '$ne':
        return sql`NOT ${this.#equals(path, operand)}`;
      case '$in':
        return this.#anyOf(path, this.#list(operator, operand));
      case '$nin':
        return sql`NOT ${this.#anyOf(path, this.#list(operator, operand))}`;
      case '$all': {
        const values = this.#list(operator, operand);
        if (values.length === 0) fail('FILTER_INVALID_EXPRESSION', `$all on ${path} needs at least one value.`);
        return sql`(${sql.join(
          values.map((v) => this.#equals(path, v)),
          sql` AND `,
        )})`;
      }
      case '$exists':
        if (typeof operand !== 'boolean') fail('FILTER_INVALID_EXPRESSION', `$exists on ${path} takes true or false.`);
        return operand ? this.#exists(path) : sql`NOT ${this.#exists(path)}`;
      case '$size':
        if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0)
          fail('FILTER_INVALID_EXPRESSION', `$size on ${path} takes a whole number of elements.`);
        return this.#entry(path, { kind: Kind.SIZE, num: operand, txt: null });
      case '$not':
        if (!isObject(operand) || isTypedValue(operand))
          fail('FILTER_INVALID_EXPRESSION', `$not on ${path} takes an operator expression such as {"$eq": ...}.`);
        return sql`NOT (${this.#operators(path, operand)})`;
      default:
        return this.#range(path, [[operator, operand]]);
    }
  }

  #list(operator: string, operand: Json): Json[] {
    if (!Array.isArray(operand)) fail('FILTER_INVALID_EXPRESSION', `${operator} takes an array of values.`);
    if (operand.length > this.context.limits.maxInValues) {
      fail(
        'FILTER_FIELDS_LIMIT_VIOLATION',
        `${operator} has ${operand.length} values, above the maximum of ${this.context.limits.maxInValues}.`,
      );
    }
    return operand;
  }

  #equals(path: string, value: Json): Condition {
    if (path === '_id') {
      if (!isValidIdType(value)) return FALSE;
      return sql`d.doc_id = ${idKey(value)}`;
    }
    return this.#entry(path, equalityIndexValue(value));
  }

  #anyOf(path: string, values: Json[]): Condition {
    if (values.length === 0) return FALSE;
    if (path === '_id') {
      const keys = values.filter(isValidIdType).map(idKey);
      return keys.length ? sql`d.doc_id IN (${sql.join(keys)})` : FALSE;
    }
    return sql`(${sql.join(
      values.map((v) => this.#equals(path, v)),
      sql` OR `,
    )})`;
  }

  /**
   * Bounds on one path read one range of the index: `{"$gte": 5, "$lt": 9}` is a single lookup, so a
   * value (or one array element) must lie within every bound given for its type.
   */
  #range(path: string, bounds: [string, Json][]): Condition {
    const byKind = new Map<number, { column: 'num' | 'txt'; tests: Condition[] }>();
    for (const [operator, operand] of bounds) {
      const value = scalarIndexValue(operand);
      if (!value || value.kind === Kind.NULL)
        fail(
          'FILTER_INVALID_EXPRESSION',
          `${operator} on ${path} compares with a number, string, boolean or $date, not ${JSON.stringify(operand)}.`,
        );
      const column = value.num !== null ? 'num' : 'txt';
      const group = byKind.get(value.kind) ?? { column, tests: [] };
      group.tests.push(sql`${sql.ref(`e.${column}`)} ${sql.raw(COMPARISONS[operator]!)} ${value.num ?? value.txt}`);
      byKind.set(value.kind, group);
    }
    const lookups = [...byKind].map(
      ([
        kind,
        { tests },
      ]) => sql`d.seq IN (SELECT e.seq FROM ${this.context.store.table('entries')} e WHERE e.collection_id = ${this.context.collectionId}
        AND e.path = ${path} AND e.kind = ${kind} AND ${sql.join(tests, sql` AND `)})`,
    );
    return lookups.length === 1 ? lookups[0]! : sql`(${sql.join(lookups, sql` AND `)})`;
  }

  #entry(path: string, value: IndexValue): Condition {
    const entries = this.context.store.table('entries');
    const head = sql`d.seq IN (SELECT e.seq FROM ${entries} e WHERE e.collection_id = ${this.context.collectionId} AND e.path = ${path} AND e.kind = ${value.kind}`;
    if (value.num !== null) return sql`${head} AND e.num = ${value.num})`;
    if (value.txt !== null) return sql`${head} AND e.txt = ${value.txt})`;
    return sql`${head})`;
  }

  #exists(path: string): Condition {
    if (path === '_id') return TRUE;
    return sql`d.seq IN (SELECT e.seq FROM ${this.context.store.table('entries')} e WHERE e.collection_id = ${this.context.collectionId} AND e.path = ${path})`;
  }

  #vectorFilter(value: Json): Condition {
    const exists = isObject(value) && Object.keys(value).length === 1 ? value.$exists : undefined;
    if (typeof exists !== 'boolean')
      fail('FILTER_INVALID_EXPRESSION', '$vector can only be filtered with {"$exists": true | false}.');
    return exists ? sql`d.vector IS NOT NULL` : sql`d.vector IS NULL`;
  }
}

/** A dotted path: non-empty segments with no `$` except the special fields. */
export function checkPath(path: string): void {
  if (path === '$vector') return;
  if (path === '' || path.split('.').some((segment) => segment === '' || segment.startsWith('$'))) {
    fail('FILTER_INVALID_EXPRESSION', `"${path}" is not a valid document path.`);
  }
}
