import { fail } from '../data-api-errors.js';
import { makeProjector } from '../projection.js';
import type { Sort } from '../sort-clause.js';
import { vectorToJson } from '../vectors.js';
import { booleanOption, optionsOf, wholeNumberOption, type Command } from './command.js';
import { documentsOf, filterOf, orderOf, present, sortOf } from './collection-access.js';

/**
 * Paging: the page state counts the documents returned so far and, for unsorted reads (which go in
 * insertion order), names the last row returned; sorted reads resume at an offset, so clients may
 * page them too. Vector searches return one page.
 */
interface PageState {
  returned: number;
  after?: number;
}

export function readPageState(value: unknown): PageState | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as PageState;
      if (Number.isInteger(parsed.returned) && (parsed.after === undefined || Number.isInteger(parsed.after)))
        return parsed;
    } catch {
      // Falls through to the error below.
    }
  }
  return fail('COMMAND_FIELD_VALUE_INVALID', 'options.pageState is not a page state this server returned.');
}

export function writePageState(state: PageState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** `status.sortVector` when asked for: the query vector of a vector sort, otherwise null. */
function sortVectorStatus(sort: Sort, wanted: boolean): { status?: { sortVector: number[] | null } } {
  return wanted ? { status: { sortVector: sort.kind === 'vector' ? vectorToJson(sort.vector) : null } } : {};
}

const find: Command = {
  level: 'collection',
  action: 'db-table-select',
  fields: ['filter', 'projection', 'sort', 'options'],
  options: ['limit', 'skip', 'pageState', 'includeSimilarity', 'includeSortVector'],
  async run(context, args) {
    const options = optionsOf(args);
    const limit = wholeNumberOption('find', options, 'limit') || undefined;
    const skip = wholeNumberOption('find', options, 'skip') ?? 0;
    const includeSimilarity = booleanOption('find', options, 'includeSimilarity');
    const includeSortVector = booleanOption('find', options, 'includeSortVector');
    const projector = makeProjector(args.projection);
    const where = filterOf(context, args.filter);
    const sort = sortOf(context, args.sort);
    const state = readPageState(options.pageState);
    const documents = documentsOf(context);
    const pageSize = context.commandLimits.pageSize;
    const status = sortVectorStatus(sort, includeSortVector);

    if (sort.kind === 'vector') {
      if (skip > 0) fail('CANNOT_VECTOR_SORT_WITH_SKIP_OPTION', 'A vector search cannot skip documents.');
      const max = context.commandLimits.maxVectorSortLimit;
      if (limit !== undefined && limit > max)
        fail(
          'CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX',
          `A vector search returns at most ${max} documents; the limit asked for ${limit}.`,
        );
      const rows = await documents.find({ where, ...orderOf(context, sort), limit: limit ?? pageSize });
      return {
        data: { documents: rows.map((r) => present(r, projector, includeSimilarity)), nextPageState: null },
        ...status,
      };
    }

    const returned = state?.returned ?? 0;
    const remaining = limit === undefined ? pageSize : Math.min(pageSize, limit - returned);
    if (remaining <= 0) return { data: { documents: [], nextPageState: null }, ...status };
    const position =
      sort.kind === 'fields'
        ? { offset: skip + returned }
        : state?.after !== undefined
          ? { afterSeq: state.after }
          : { offset: skip };
    const page = await documents.find({ where, ...orderOf(context, sort), ...position, limit: remaining + 1 });
    const rows = page.slice(0, remaining);
    const total = returned + rows.length;
    const more = page.length > remaining && (limit === undefined || total < limit);
    const next = more
      ? writePageState({ returned: total, ...(sort.kind === 'none' ? { after: rows.at(-1)!.seq } : {}) })
      : null;
    return { data: { documents: rows.map((r) => present(r, projector)), nextPageState: next }, ...status };
  },
};

const findOne: Command = {
  level: 'collection',
  action: 'db-table-select',
  fields: ['filter', 'projection', 'sort', 'options'],
  options: ['includeSimilarity', 'includeSortVector', 'skip'],
  async run(context, args) {
    const options = optionsOf(args);
    const includeSimilarity = booleanOption('findOne', options, 'includeSimilarity');
    const includeSortVector = booleanOption('findOne', options, 'includeSortVector');
    const skip = wholeNumberOption('findOne', options, 'skip') ?? 0;
    const projector = makeProjector(args.projection);
    const sort = sortOf(context, args.sort);
    const [first] = await documentsOf(context).find({
      where: filterOf(context, args.filter),
      ...orderOf(context, sort),
      limit: 1,
      offset: skip,
    });
    const status = sortVectorStatus(sort, includeSortVector);
    return { data: { document: first ? present(first, projector, includeSimilarity) : null }, ...status };
  },
};

const countDocuments: Command = {
  level: 'collection',
  action: 'db-table-select',
  fields: ['filter'],
  async run(context, args) {
    const max = context.commandLimits.maxCount;
    const count = await documentsOf(context).count(filterOf(context, args.filter), max + 1);
    return { status: count > max ? { count: max, moreData: true } : { count } };
  },
};

const estimatedDocumentCount: Command = {
  level: 'collection',
  action: 'db-table-select',
  fields: [],
  run: async (context) => ({ status: { count: await documentsOf(context).estimatedCount() } }),
};

export const READ_COMMANDS: Record<string, Command> = { find, findOne, countDocuments, estimatedDocumentCount };
