import { isDeepStrictEqual } from 'node:util';
import { fail } from '../data-api-errors.js';
import type { DocumentStore, StoredDocument } from '../document-store.js';
import { makeProjector } from '../projection.js';
import { applyUpdate, parseUpdate, type UpdateClause } from '../update-operators.js';
import { idKey, isObject, isTypedValue, type Json, type JsonObject } from '../typed-values.js';
import { booleanOption, optionsOf, type Command, type CommandContext } from './command.js';
import { documentsOf, filterOf, findFirst, present, requireObject, wholeDocument } from './collection-access.js';
import { alreadyExists, prepare } from './write-commands.js';

/** The `_id` an upsert gives its new document: the filter's `_id` equality, when it has one. */
function idFromFilter(filter: Json | undefined): Json | undefined {
  if (!isObject(filter) || filter._id === undefined) return undefined;
  const id = filter._id;
  if (isObject(id) && !isTypedValue(id)) return (id as Record<string, Json>).$eq;
  return id;
}

/** Applies the update to one stored document; true when it changed. */
async function updateStored(
  context: CommandContext,
  documents: DocumentStore,
  stored: StoredDocument,
  clause: UpdateClause,
): Promise<JsonObject | undefined> {
  const before = wholeDocument(stored);
  const after = applyUpdate(before, clause, context.clock.now(), false);
  if (isDeepStrictEqual(before, after)) return undefined;
  await documents.replace(stored.seq, prepare(context, after));
  return after;
}

/** Inserts the document an upsert makes; its `_id` comes from the filter or is generated. */
async function upsert(
  context: CommandContext,
  documents: DocumentStore,
  filter: Json | undefined,
  make: (id: Json | undefined) => JsonObject,
): Promise<JsonObject> {
  const document = prepare(context, make(idFromFilter(filter)));
  if (!(await documents.insert(document))) throw alreadyExists(document.id);
  return {
    ...(JSON.parse(document.text) as JsonObject),
    ...(document.vector ? { $vector: Array.from(document.vector) } : {}),
  };
}

function withId(id: Json | undefined, document: JsonObject): JsonObject {
  return id === undefined ? document : { _id: id, ...document };
}

const updateOne: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'update', 'sort', 'options'],
  options: ['upsert'],
  async run(context, args) {
    const clause = parseUpdate(args.update);
    const wantsUpsert = booleanOption('updateOne', optionsOf(args), 'upsert');
    return documentsOf(context).inTransaction(async (documents) => {
      const first = await findFirst(context, documents, args);
      if (first)
        return {
          status: { matchedCount: 1, modifiedCount: (await updateStored(context, documents, first, clause)) ? 1 : 0 },
        };
      if (!wantsUpsert) return { status: { matchedCount: 0, modifiedCount: 0 } };
      const created = await upsert(context, documents, args.filter, (id) =>
        applyUpdate(withId(id, {}), clause, context.clock.now(), true),
      );
      return { status: { matchedCount: 0, modifiedCount: 0, upsertedId: created._id } };
    });
  },
};

/** Changes at most one call's worth of documents; `nextPageState` tells the client to call again. */
const updateMany: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'update', 'options'],
  options: ['upsert', 'pageState'],
  async run(context, args) {
    const clause = parseUpdate(args.update);
    const options = optionsOf(args);
    const wantsUpsert = booleanOption('updateMany', options, 'upsert');
    const after = options.pageState === undefined || options.pageState === null ? undefined : Number(options.pageState);
    if (after !== undefined && !Number.isInteger(after))
      fail('COMMAND_FIELD_VALUE_INVALID', 'options.pageState is not a page state this server returned.');
    const batch = context.commandLimits.maxUpdateOrDeletePerCall;
    const where = filterOf(context, args.filter);
    return documentsOf(context).inTransaction(async (documents) => {
      const rows = await documents.find({ where, afterSeq: after, limit: batch + 1, forUpdate: true });
      const chosen = rows.slice(0, batch);
      let modified = 0;
      for (const row of chosen) if (await updateStored(context, documents, row, clause)) modified++;
      const more = rows.length > batch;
      if (chosen.length === 0 && after === undefined && wantsUpsert) {
        const created = await upsert(context, documents, args.filter, (id) =>
          applyUpdate(withId(id, {}), clause, context.clock.now(), true),
        );
        return { status: { matchedCount: 0, modifiedCount: 0, upsertedId: created._id } };
      }
      return {
        status: {
          matchedCount: chosen.length,
          modifiedCount: modified,
          ...(more ? { moreData: true, nextPageState: String(chosen.at(-1)!.seq) } : {}),
        },
      };
    });
  },
};

function returnDocument(name: string, options: JsonObject): 'before' | 'after' {
  const value = options.returnDocument ?? 'before';
  if (value !== 'before' && value !== 'after')
    fail('COMMAND_FIELD_VALUE_INVALID', `${name}'s option returnDocument must be "before" or "after".`);
  return value;
}

const findOneAndUpdate: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'update', 'sort', 'projection', 'options'],
  options: ['upsert', 'returnDocument', 'includeSimilarity'],
  async run(context, args) {
    const clause = parseUpdate(args.update);
    const options = optionsOf(args);
    const which = returnDocument('findOneAndUpdate', options);
    const wantsUpsert = booleanOption('findOneAndUpdate', options, 'upsert');
    const projector = makeProjector(args.projection);
    return documentsOf(context).inTransaction(async (documents) => {
      const first = await findFirst(context, documents, args);
      if (first) {
        const updated = await updateStored(context, documents, first, clause);
        const shown = which === 'before' || !updated ? present(first, projector) : projector(updated);
        return { data: { document: shown }, status: { matchedCount: 1, modifiedCount: updated ? 1 : 0 } };
      }
      if (!wantsUpsert) return { data: { document: null }, status: { matchedCount: 0, modifiedCount: 0 } };
      const created = await upsert(context, documents, args.filter, (id) =>
        applyUpdate(withId(id, {}), clause, context.clock.now(), true),
      );
      return {
        data: { document: which === 'after' ? projector(created) : null },
        status: { matchedCount: 0, modifiedCount: 0, upsertedId: created._id },
      };
    });
  },
};

const findOneAndReplace: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'replacement', 'sort', 'projection', 'options'],
  options: ['upsert', 'returnDocument', 'includeSimilarity'],
  async run(context, args) {
    const replacement = requireObject('findOneAndReplace', 'replacement', args.replacement);
    const options = optionsOf(args);
    const which = returnDocument('findOneAndReplace', options);
    const wantsUpsert = booleanOption('findOneAndReplace', options, 'upsert');
    const projector = makeProjector(args.projection);
    return documentsOf(context).inTransaction(async (documents) => {
      const first = await findFirst(context, documents, args);
      if (first) {
        const id = first.document._id!;
        if (replacement._id !== undefined && idKey(replacement._id) !== idKey(id)) {
          fail(
            'DOCUMENT_REPLACE_DIFFERENT_DOCID',
            `The replacement's _id ${JSON.stringify(replacement._id)} differs from the matched document's _id ${JSON.stringify(id)}.`,
          );
        }
        const next = { _id: id, ...replacement };
        const changed = !isDeepStrictEqual(wholeDocument(first), next);
        if (changed) await documents.replace(first.seq, prepare(context, next));
        const shown = which === 'before' ? present(first, projector) : projector(next);
        return { data: { document: shown }, status: { matchedCount: 1, modifiedCount: changed ? 1 : 0 } };
      }
      if (!wantsUpsert) return { data: { document: null }, status: { matchedCount: 0, modifiedCount: 0 } };
      const created = await upsert(context, documents, args.filter, (id) =>
        replacement._id === undefined ? withId(id, replacement) : replacement,
      );
      return {
        data: { document: which === 'after' ? projector(created) : null },
        status: { matchedCount: 0, modifiedCount: 0, upsertedId: created._id },
      };
    });
  },
};

export const UPDATE_COMMANDS: Record<string, Command> = { updateOne, updateMany, findOneAndUpdate, findOneAndReplace };
