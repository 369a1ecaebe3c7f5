import { DataApiError, fail } from '../data-api-errors.js';
import { booleanOption, optionsOf, wholeNumberOption, type Command, type CommandResult } from './command.js';
import { vectorToJson } from '../vectors.js';
import { InvalidValue, toCanon, toWire, type Canon } from '../tables/column-values.js';
import { isExactObject, type ExactJson } from '../tables/exact-json.js';
import { readPageState, writePageState } from './read-commands.js';
import { exactArgs, inRowTransaction, tableScope } from './table-access.js';
import { columnList, describeColumns, primaryKeyColumns } from '../tables/table-definition.js';
import { compileTableFilter, filterWarnings, type TableScope } from '../tables/table-filter.js';
import {
  parseTableSort,
  presentRow,
  projectedColumns,
  projectionSchema,
  type TableSort,
} from '../tables/table-reads.js';
import type { Row, TableRows } from '../tables/table-rows.js';
import { applyUpdate, keyFromFilter } from '../tables/table-updates.js';

/** A row to insert, checked against the table: known columns, a whole primary key, valid values. */
export function prepareRow(document: ExactJson, scope: TableScope): Row {
  const { table, keyspace, name } = scope;
  if (!isExactObject(document)) fail('SHRED_BAD_DOCUMENT_TYPE', 'A row must be a JSON object.');
  const unknown = Object.keys(document).filter((c) => !table.columns[c]);
  if (unknown.length)
    fail(
      'DOCUMENT_UNKNOWN_TABLE_COLUMNS',
      `Table ${keyspace}.${name} has the columns ${columnList(table)}; the row has unknown columns: ${unknown.join(', ')}.`,
    );
  const key = primaryKeyColumns(table);
  const missing = key.filter((c) => document[c] === undefined || document[c] === null);
  if (missing.length)
    fail(
      'MISSING_PRIMARY_KEY_COLUMNS',
      `Table ${keyspace}.${name} has the primary key ${key.join(', ')}; the row gives ${key.filter((c) => !missing.includes(c)).join(', ') || 'none of them'} and misses ${missing.join(', ')}.`,
    );
  const row: Row = {};
  const invalid: string[] = [];
  for (const [column, value] of Object.entries(document)) {
    try {
      row[column] = toCanon(table.columns[column]!, value, scope.udts);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      invalid.push(`${column}(${table.columns[column]!.type}): ${error.message}`);
    }
  }
  if (invalid.length)
    fail(
      'INVALID_COLUMN_VALUES',
      `Table ${keyspace}.${name} has the columns ${columnList(table)}; these columns had invalid values: ${invalid.join('; ')}.`,
    );
  return row;
}

function keyOf(row: Row, scope: TableScope): unknown[] {
  return primaryKeyColumns(scope.table).map((c) => toWire(scope.table.columns[c]!, row[c] as Canon, scope.udts));
}

function primaryKeySchema(scope: TableScope) {
  return describeColumns(scope.table, primaryKeyColumns(scope.table), scope.udts);
}

function withWarnings(status: Record<string, unknown>, warnings: DataApiError[]): Record<string, unknown> {
  return warnings.length ? { ...status, warnings: warnings.map((w) => w.toJSON()) } : status;
}

const insertOne: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['document'],
  async run(context) {
    const scope = await tableScope(context);
    const row = prepareRow(exactArgs(context).document ?? null, scope);
    await scope.rows.upsert([row]);
    return {
      status: { primaryKeySchema: primaryKeySchema(scope), insertedIds: [keyOf(row, scope)] },
      exactNumbers: true,
    };
  },
};

type Outcome = { id: unknown[] | null; status: 'OK' | 'ERROR' | 'SKIPPED'; error?: DataApiError };

const insertMany: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['documents', 'options'],
  options: ['ordered', 'returnDocumentResponses'],
  async run(context, args) {
    const options = optionsOf(args);
    const ordered =
      options.ordered === undefined || options.ordered === null
        ? true
        : booleanOption('insertMany', options, 'ordered');
    const responses = booleanOption('insertMany', options, 'returnDocumentResponses');
    const documents = exactArgs(context).documents;
    if (!Array.isArray(documents) || documents.length === 0)
      fail('COMMAND_FIELD_VALUE_INVALID', 'insertMany needs "documents" as a non-empty array.');
    const max = context.commandLimits.maxInsertManyDocuments;
    if (documents.length > max)
      fail(
        'COMMAND_FIELD_VALUE_INVALID',
        `insertMany takes at most ${max} documents per call; this one has ${documents.length}.`,
      );

    const outcomes = await inRowTransaction(context, await tableScope(context), async (scope) => {
      const results: Outcome[] = [];
      const rows: Row[] = [];
      for (const document of documents) {
        if (ordered && results.some((r) => r.status === 'ERROR')) {
          results.push({ id: null, status: 'SKIPPED' });
          continue;
        }
        try {
          const row = prepareRow(document, scope);
          rows.push(row);
          results.push({ id: keyOf(row, scope), status: 'OK' });
        } catch (error) {
          if (!(error instanceof DataApiError)) throw error;
          results.push({ id: null, status: 'ERROR', error });
        }
      }
      await scope.rows.upsert(rows);
      return { results, schema: primaryKeySchema(scope) };
    });
    const errors = outcomes.results.flatMap((o) => (o.error ? [o.error] : []));
    const status = responses
      ? {
          primaryKeySchema: outcomes.schema,
          documentResponses: outcomes.results.map((o) => ({
            _id: o.id,
            status: o.status,
            ...(o.error ? { errorsIdx: errors.indexOf(o.error) } : {}),
          })),
        }
      : {
          primaryKeySchema: outcomes.schema,
          insertedIds: outcomes.results.filter((o) => o.status === 'OK').map((o) => o.id),
        };
    return { status, ...(errors.length ? { errors } : {}), exactNumbers: true };
  },
};

function sortVector(sort: TableSort, wanted: boolean) {
  return wanted ? { sortVector: sort.kind === 'vector' ? vectorToJson(sort.vector) : null } : {};
}

const find: Command = {
  level: 'collection',
  action: 'db-table-select',
  fields: ['filter', 'projection', 'sort', 'options'],
  options: ['limit', 'skip', 'pageState', 'includeSimilarity', 'includeSortVector'],
  async run(context, plainArgs) {
    const options = optionsOf(plainArgs);
    const limit = wholeNumberOption('find', options, 'limit') || undefined;
    const skip = wholeNumberOption('find', options, 'skip') ?? 0;
    const includeSimilarity = booleanOption('find', options, 'includeSimilarity');
    const includeSortVector = booleanOption('find', options, 'includeSortVector');
    const args = exactArgs(context);
    const scope = await tableScope(context);
    const filter = compileTableFilter(args.filter, scope);
    const sort = parseTableSort(args.sort, scope, filter.leaves);
    const columns = projectedColumns(args.projection, scope);
    const warnings = [...filterWarnings(filter, scope), ...sort.warnings];
    const pageSize = context.commandLimits.pageSize;
    const status = {
      projectionSchema: projectionSchema(columns, scope, includeSimilarity),
      ...sortVector(sort, includeSortVector),
    };
    const answer = (rows: Awaited<ReturnType<TableRows['find']>>, next: string | null): CommandResult => ({
      data: { documents: rows.map((r) => presentRow(r, columns, scope, includeSimilarity)), nextPageState: next },
      status: withWarnings(status, warnings),
      exactNumbers: true,
    });

    if (sort.kind === 'vector') {
      if (skip > 0) fail('CANNOT_VECTOR_SORT_WITH_SKIP_OPTION', 'A vector sort cannot skip rows.');
      const max = context.commandLimits.maxVectorSortLimit;
      if (limit !== undefined && limit > max)
        fail(
          'CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX',
          `A vector sort on ${sort.column} returns at most ${max} rows; the limit asked for ${limit}.`,
        );
      const rows = await scope.rows.find({ where: filter.where, nearest: sort, limit: limit ?? pageSize });
      return answer(rows, null);
    }
    if (sort.kind === 'memory') {
      if (options.pageState)
        fail(
          'UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING',
          'Rows sorted in memory come in one page; resend without pageState.',
        );
      const rows = await scope.rows.find({
        where: filter.where,
        orderBy: sort.orderBy,
        limit: limit ?? pageSize,
        offset: skip,
      });
      return answer(rows, null);
    }
    // Key-ordered reads page by offset: the state counts the rows returned so far.
    const returned = readPageState(options.pageState)?.returned ?? 0;
    const remaining = limit === undefined ? pageSize : Math.min(pageSize, limit - returned);
    if (remaining <= 0) return answer([], null);
    const page = await scope.rows.find({
      where: filter.where,
      orderBy: sort.orderBy,
      limit: remaining + 1,
      offset: skip + returned,
    });
    const rows = page.slice(0, remaining);
    const total = returned + rows.length;
    const more = page.length > remaining && (limit === undefined || total < limit);
    return answer(rows, more ? writePageState({ returned: total }) : null);
  },
};

const findOne: Command = {
  level: 'collection',
  action: 'db-table-select',
  fields: ['filter', 'projection', 'sort', 'options'],
  options: ['includeSimilarity', 'includeSortVector', 'skip'],
  async run(context, plainArgs) {
    const options = optionsOf(plainArgs);
    const includeSimilarity = booleanOption('findOne', options, 'includeSimilarity');
    const includeSortVector = booleanOption('findOne', options, 'includeSortVector');
    const skip = wholeNumberOption('findOne', options, 'skip') ?? 0;
    const args = exactArgs(context);
    const scope = await tableScope(context);
    const filter = compileTableFilter(args.filter, scope);
    const sort = parseTableSort(args.sort, scope, filter.leaves);
    const columns = projectedColumns(args.projection, scope);
    const warnings = [...filterWarnings(filter, scope), ...sort.warnings];
    const [first] = await scope.rows.find({
      where: filter.where,
      ...(sort.kind === 'vector' ? { nearest: sort } : { orderBy: sort.orderBy }),
      limit: 1,
      offset: sort.kind === 'vector' ? 0 : skip,
    });
    const status = {
      projectionSchema: projectionSchema(columns, scope, includeSimilarity),
      ...sortVector(sort, includeSortVector),
    };
    return {
      data: { document: first ? presentRow(first, columns, scope, includeSimilarity) : null },
      status: withWarnings(status, warnings),
      exactNumbers: true,
    };
  },
};

function refuseSort(
  sort: unknown,
  code: 'UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND' | 'UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND',
) {
  if (isExactObject(sort as ExactJson) && Object.keys(sort as object).length > 0)
    fail(code, 'Rows of a table are updated and deleted by their primary key, without a sort; resend without it.');
}

const updateOne: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'update', 'sort', 'options'],
  options: ['upsert'],
  async run(context) {
    const args = exactArgs(context);
    refuseSort(args.sort, 'UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND');
    const scope = await tableScope(context);
    const key = keyFromFilter(args.filter, scope);
    await inRowTransaction(context, scope, (inTrx) => applyUpdate(args.update, key, inTrx));
    return { status: { matchedCount: 1, modifiedCount: 1 } };
  },
};

const deleteOne: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'sort'],
  async run(context) {
    const args = exactArgs(context);
    refuseSort(args.sort, 'UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND');
    const scope = await tableScope(context);
    keyFromFilter(args.filter, scope);
    await scope.rows.delete(compileTableFilter(args.filter, scope).where);
    return { status: { deletedCount: -1 } };
  },
};

const deleteMany: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter'],
  async run(context) {
    const args = exactArgs(context);
    const scope = await tableScope(context);
    const filter = compileTableFilter(args.filter, scope);
    const { table, keyspace, name } = scope;
    const key = primaryKeyColumns(table);
    const others = [...new Set(filter.leaves.map((l) => l.column).filter((c) => !key.includes(c)))];
    if (others.length)
      fail(
        'UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE',
        `Table ${keyspace}.${name} has the primary key ${key.join(', ')}; the filter also names ${others.join(', ')}.`,
      );
    if (filter.leaves.length) {
      const fixed = new Set(filter.leaves.filter((l) => l.operator === '$eq' && l.topLevel).map((l) => l.column));
      const missing = table.partitionBy.filter((c) => !fixed.has(c));
      const order = table.partitionSort.map(([c]) => c);
      const named = filter.leaves.map((l) => l.column).filter((c) => order.includes(c));
      const outOfOrder = named.filter((c) => order.slice(0, order.indexOf(c)).some((before) => !fixed.has(before)));
      if (missing.length || outOfOrder.length)
        fail(
          'INVALID_PRIMARY_KEY_FILTER',
          `Table ${keyspace}.${name} has the primary key ${key.join(', ')}; the filter misses the partition columns [${missing.join(', ')}] and names partition sort columns out of order [${outOfOrder.join(', ')}].`,
        );
    }
    await scope.rows.delete(filter.where);
    return { status: { deletedCount: -1 } };
  },
};

export const ROW_COMMANDS: Record<string, Command> = {
  insertOne,
  insertMany,
  find,
  findOne,
  updateOne,
  deleteOne,
  deleteMany,
};
