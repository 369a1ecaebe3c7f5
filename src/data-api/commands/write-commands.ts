import { DataApiError, fail } from '../data-api-errors.js';
import { newDocumentId } from '../document-ids.js';
import type { DocumentStore } from '../document-store.js';
import { makeProjector } from '../projection.js';
import { shred, type ShreddedDocument } from '../shredder.js';
import { isObject, type Json } from '../typed-values.js';
import { booleanOption, collectionOf, optionsOf, type Command, type CommandContext } from './command.js';
import { documentsOf, filterOf, findFirst, present, requireObject } from './collection-access.js';

/** The document with an `_id` (generated when missing), checked and shredded. */
export function prepare(context: CommandContext, document: Json): ShreddedDocument {
  if (!isObject(document)) fail('SHRED_BAD_DOCUMENT_TYPE', 'A document must be a JSON object.');
  const withId =
    document._id === undefined
      ? { _id: newDocumentId(collectionOf(context).settings.defaultId?.type, context.clock.now()), ...document }
      : document;
  return shred(withId, collectionOf(context).settings, context.documentLimits);
}

export function alreadyExists(id: Json): DataApiError {
  return new DataApiError(
    'DOCUMENT_ALREADY_EXISTS',
    `A document with _id ${JSON.stringify(id)} already exists in the collection.`,
    [id],
  );
}

const insertOne: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['document'],
  async run(context, args) {
    const document = prepare(context, requireObject('insertOne', 'document', args.document));
    if (!(await documentsOf(context).insert(document))) throw alreadyExists(document.id);
    return { status: { insertedIds: [document.id] } };
  },
};

type Outcome = { id: Json | undefined; status: 'OK' | 'ERROR' | 'SKIPPED'; error?: DataApiError };

/** Ordered: stops at the first failure, leaving the rest SKIPPED. Unordered: tries every document. */
const insertMany: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['documents', 'options'],
  options: ['ordered', 'returnDocumentResponses'],
  async run(context, args) {
    const options = optionsOf(args);
    // Ordered unless told otherwise, as the specification says.
    const ordered =
      options.ordered === undefined || options.ordered === null
        ? true
        : booleanOption('insertMany', options, 'ordered');
    const responses = booleanOption('insertMany', options, 'returnDocumentResponses');
    const input = args.documents;
    if (!Array.isArray(input) || input.length === 0)
      fail('COMMAND_FIELD_VALUE_INVALID', 'insertMany needs "documents" as a non-empty array.');
    const max = context.commandLimits.maxInsertManyDocuments;
    if (input.length > max)
      fail(
        'COMMAND_FIELD_VALUE_INVALID',
        `insertMany takes at most ${max} documents per call; this one has ${input.length}.`,
      );

    const outcomes = await documentsOf(context).inTransaction((documents) =>
      insertAll(context, documents, input, ordered),
    );
    const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
    const insertedIds = outcomes.filter((o) => o.status === 'OK').map((o) => o.id!);
    const status = responses
      ? {
          documentResponses: outcomes.map((o) => ({
            _id: o.id ?? null,
            status: o.status,
            ...(o.error ? { errorsIdx: errors.indexOf(o.error) } : {}),
          })),
        }
      : { insertedIds };
    return { status, ...(errors.length ? { errors } : {}) };
  },
};

async function insertAll(
  context: CommandContext,
  documents: DocumentStore,
  input: Json[],
  ordered: boolean,
): Promise<Outcome[]> {
  // Checked first, so the valid ones go to the store in one batch; ordered stops at the first failure.
  const outcomes: Outcome[] = [];
  const ready: { document: ShreddedDocument; outcome: number }[] = [];
  for (const raw of input) {
    const id = isObject(raw) ? raw._id : undefined;
    if (ordered && outcomes.some((o) => o.status === 'ERROR')) {
      outcomes.push({ id, status: 'SKIPPED' });
      continue;
    }
    try {
      const document = prepare(context, raw);
      ready.push({ document, outcome: outcomes.length });
      outcomes.push({ id: document.id, status: 'OK' });
    } catch (error) {
      if (!(error instanceof DataApiError)) throw error;
      outcomes.push({
        id,
        status: 'ERROR',
        error: new DataApiError(error.code, error.message, id === undefined ? undefined : [id]),
      });
    }
  }
  const inserted = await documents.insertBatch(
    ready.map((r) => r.document),
    ordered,
  );
  ready.forEach(({ document, outcome }, i) => {
    if (inserted[i] === undefined) outcomes[outcome] = { id: document.id, status: 'SKIPPED' };
    else if (!inserted[i]) outcomes[outcome] = { id: document.id, status: 'ERROR', error: alreadyExists(document.id) };
  });
  if (ordered) skipAfterFirstError(outcomes);
  return outcomes;
}

/** In an ordered insert, nothing after the first failure was tried. */
function skipAfterFirstError(outcomes: Outcome[]): void {
  const first = outcomes.findIndex((o) => o.status === 'ERROR');
  if (first < 0) return;
  for (let i = first + 1; i < outcomes.length; i++) outcomes[i] = { id: outcomes[i]!.id, status: 'SKIPPED' };
}

const deleteOne: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'sort'],
  async run(context, args) {
    const deleted = await documentsOf(context).inTransaction(async (documents) => {
      const first = await findFirst(context, documents, args);
      if (first) await documents.delete([first.seq]);
      return first ? 1 : 0;
    });
    return { status: { deletedCount: deleted } };
  },
};

/** Deletes at most one call's worth of documents and says when more match. */
const deleteMany: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter'],
  async run(context, args) {
    const batch = context.commandLimits.maxUpdateOrDeletePerCall;
    const where = filterOf(context, args.filter);
    const { deleted, more } = await documentsOf(context).inTransaction(async (documents) => {
      const rows = await documents.find({ where, limit: batch + 1, forUpdate: true });
      const chosen = rows.slice(0, batch);
      await documents.delete(chosen.map((r) => r.seq));
      return { deleted: chosen.length, more: rows.length > batch };
    });
    return { status: { deletedCount: deleted, ...(more ? { moreData: true } : {}) } };
  },
};

const findOneAndDelete: Command = {
  level: 'collection',
  action: 'db-table-modify',
  fields: ['filter', 'sort', 'projection'],
  async run(context, args) {
    const projector = makeProjector(args.projection);
    const removed = await documentsOf(context).inTransaction(async (documents) => {
      const first = await findFirst(context, documents, args);
      if (first) await documents.delete([first.seq]);
      return first;
    });
    return {
      data: { document: removed ? present(removed, projector) : null },
      status: { deletedCount: removed ? 1 : 0 },
    };
  },
};

export const WRITE_COMMANDS: Record<string, Command> = {
  insertOne,
  insertMany,
  deleteOne,
  deleteMany,
  findOneAndDelete,
};
