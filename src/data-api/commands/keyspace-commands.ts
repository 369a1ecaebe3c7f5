import { isDeepStrictEqual } from 'node:util';
import { parseCollectionSettings, settingsForDisplay } from '../collection-settings.js';
import { fail } from '../data-api-errors.js';
import type { JsonObject } from '../typed-values.js';
import { booleanOption, optionsOf, type Command } from './command.js';

const COLLECTION_NAME = /^[A-Za-z0-9_]{1,48}$/;

function collectionName(args: JsonObject): string {
  const name = args.name;
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    fail(
      'UNSUPPORTED_SCHEMA_NAME',
      `Collection names are 1 to 48 letters, digits and underscores; ${JSON.stringify(name ?? null)} is not one.`,
    );
  }
  return name;
}

const nameInBody = (args: JsonObject) => (typeof args.name === 'string' ? args.name : undefined);

const createCollection: Command = {
  level: 'keyspace',
  action: 'db-table-create',
  fields: ['name', 'options'],
  options: ['defaultId', 'vector', 'indexing', 'lexical', 'rerank'],
  target: nameInBody,
  async run(context, args) {
    const name = collectionName(args);
    const settings = parseCollectionSettings(args.options, context.documentLimits.maxVectorDimension);
    const existing = await context.schema.collection(context.keyspace, name);
    if (existing) {
      // Creating a collection again with the same settings is a no-op, as on Astra.
      if (isDeepStrictEqual(existing.settings, settings)) return { status: { ok: 1 } };
      fail(
        'EXISTING_COLLECTION_DIFFERENT_SETTINGS',
        `A collection named ${name} already exists in keyspace ${context.keyspace} with other settings.`,
      );
    }
    const count = await context.schema.countCollections();
    if (count >= context.maxCollections) {
      fail(
        'TOO_MANY_COLLECTIONS',
        `The database already has ${count} collections, the most it may have; delete one before creating ${name}.`,
      );
    }
    await context.schema.addCollection(context.keyspace, name, settings, context.clock.now().toISOString());
    return { status: { ok: 1 } };
  },
};

const findCollections: Command = {
  level: 'keyspace',
  action: 'db-keyspace-describe',
  fields: ['options'],
  options: ['explain'],
  async run(context, args) {
    const explain = booleanOption('findCollections', optionsOf(args), 'explain');
    const collections = await context.schema.collections(context.keyspace);
    return {
      status: {
        collections: explain
          ? collections.map((c) => ({ name: c.name, options: settingsForDisplay(c.settings) }))
          : collections.map((c) => c.name),
      },
    };
  },
};

const deleteCollection: Command = {
  level: 'keyspace',
  action: 'db-table-drop',
  fields: ['name'],
  target: nameInBody,
  async run(context, args) {
    const name = collectionName(args);
    const existing = await context.schema.collection(context.keyspace, name);
    // A table of that name is dropped with dropTable only.
    if (existing?.kind === 'collection')
      await context.store.db
        .transaction()
        .execute((trx) => context.schema.withTransaction(trx).dropCollection(existing));
    return { status: { ok: 1 } };
  },
};

export const KEYSPACE_COMMANDS: Record<string, Command> = { createCollection, findCollections, deleteCollection };
