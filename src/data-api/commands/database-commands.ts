import { ApiError } from '../../kernel/errors.js';
import { fail } from '../data-api-errors.js';
import type { JsonObject } from '../typed-values.js';
import type { Command, CommandContext } from './command.js';

const KEYSPACE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

function keyspaceName(args: JsonObject): string {
  const name = args.name;
  if (typeof name !== 'string' || !KEYSPACE_NAME.test(name)) {
    fail(
      'UNSUPPORTED_SCHEMA_NAME',
      `Keyspace names are 1 to 48 letters, digits and underscores, starting with a letter; ${JSON.stringify(name ?? null)} is not one.`,
    );
  }
  return name;
}

/** DevOps-side refusals (a conflicting status, the default keyspace) come back in the Data API's form. */
async function viaLifecycle(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ApiError) fail('COMMAND_FIELD_VALUE_INVALID', error.message);
    throw error;
  }
}

const findKeyspaces: Command = {
  level: 'database',
  action: 'db-all-keyspace-describe',
  fields: [],
  run: async (context) => ({ status: { keyspaces: await context.schema.keyspaces() } }),
};

const findKeyspacesOldName: Command = {
  ...findKeyspaces,
  run: async (context) => ({ status: { namespaces: await context.schema.keyspaces() } }),
};

/**
 * Keyspaces change through the database's lifecycle, as with the DevOps API: the database goes to
 * MAINTENANCE and the keyspace exists once the step has run.
 */
const createKeyspace: Command = {
  level: 'database',
  action: 'db-keyspace-create',
  fields: ['name', 'options'],
  options: ['replication'],
  target: (args) => (typeof args.name === 'string' ? args.name : undefined),
  async run(context, args) {
    const name = keyspaceName(args);
    if (!context.database.keyspaces.includes(name)) {
      await viaLifecycle(() => context.keyspaceAdmin.addKeyspace(context.actor, context.database.id, name));
    }
    return { status: { ok: 1 } };
  },
};

const dropKeyspace: Command = {
  level: 'database',
  action: 'db-keyspace-drop',
  fields: ['name'],
  target: createKeyspace.target,
  async run(context: CommandContext, args) {
    const name = keyspaceName(args);
    await viaLifecycle(() => context.keyspaceAdmin.dropKeyspace(context.actor, context.database.id, name));
    return { status: { ok: 1 } };
  },
};

/** Orrery reaches no embedding or reranking provider, so it offers none. */
const findEmbeddingProviders: Command = {
  level: 'database',
  action: 'db-all-keyspace-describe',
  fields: ['options'],
  options: ['filterModelStatus'],
  run: async () => ({ status: { embeddingProviders: {} } }),
};

const findRerankingProviders: Command = {
  ...findEmbeddingProviders,
  run: async () => ({ status: { rerankingProviders: {} } }),
};

export const DATABASE_COMMANDS: Record<string, Command> = {
  findKeyspaces,
  findNamespaces: findKeyspacesOldName,
  createKeyspace,
  createNamespace: createKeyspace,
  dropKeyspace,
  dropNamespace: dropKeyspace,
  findEmbeddingProviders,
  findRerankingProviders,
};
