import type { RawBuilder } from 'kysely';
import { DocumentStore, type StoredDocument } from '../document-store.js';
import { fail } from '../data-api-errors.js';
import { compileFilter } from '../filter-compiler.js';
import type { Projector } from '../projection.js';
import { parseSort, sortByFields, type Sort } from '../sort-clause.js';
import type { Json, JsonObject } from '../typed-values.js';
import { vectorToJson } from '../vectors.js';
import { collectionOf, type CommandContext } from './command.js';

/** What every collection command needs: its documents, and its filter and sort clauses read against its settings. */
export function documentsOf(context: CommandContext): DocumentStore {
  return new DocumentStore(context.store, collectionOf(context));
}

export function filterOf(context: CommandContext, filter: Json | undefined): RawBuilder<unknown> {
  return compileFilter(filter, {
    store: context.store,
    collectionId: collectionOf(context).id,
    settings: collectionOf(context).settings,
    limits: context.commandLimits,
  });
}

export function sortOf(context: CommandContext, sort: Json | undefined): Sort {
  return parseSort(sort, collectionOf(context).settings);
}

/** The Query fields for a sort: ORDER BY terms for fields, nearest neighbours for a vector. */
export function orderOf(context: CommandContext, sort: Sort) {
  if (sort.kind === 'fields') return { sorted: sortByFields(context.store, sort.keys) };
  if (sort.kind === 'vector')
    return { nearest: { vector: sort.vector, metric: collectionOf(context).settings.vector!.metric } };
  return {};
}

/** The first document a single-document command acts on, by its filter and sort. */
export async function findFirst(
  context: CommandContext,
  documents: DocumentStore,
  args: JsonObject,
): Promise<StoredDocument | undefined> {
  const where = filterOf(context, args.filter);
  const sort = sortOf(context, args.sort);
  const [first] = await documents.find({ where, ...orderOf(context, sort), limit: 1, forUpdate: true });
  return first;
}

/** The stored document as a client sees it: `$vector` restored, projected, with `$similarity` when asked. */
export function present(stored: StoredDocument, projector: Projector, includeSimilarity = false): JsonObject {
  const whole: JsonObject = stored.vector
    ? { ...stored.document, $vector: vectorToJson(stored.vector) }
    : stored.document;
  const shaped = projector(whole);
  if (includeSimilarity && stored.similarity !== undefined) shaped.$similarity = stored.similarity;
  return shaped;
}

/** The whole document, `$vector` included, as updates see it. */
export function wholeDocument(stored: StoredDocument): JsonObject {
  return stored.vector
    ? { ...stored.document, $vector: vectorToJson(stored.vector) }
    : structuredClone(stored.document);
}

export function requireObject(command: string, field: string, value: Json | undefined): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('COMMAND_FIELD_VALUE_INVALID', `${command} needs "${field}" as a JSON object.`);
  return value;
}
