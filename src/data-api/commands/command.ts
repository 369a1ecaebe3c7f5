import type { Clock } from '../../clock.js';
import type { DatabaseRecord } from '../../databases/database-records.js';
import type { Actor } from '../../kernel/principal.js';
import type { DataStore } from '../data-plane.js';
import { fail, type DataApiError } from '../data-api-errors.js';
import type { CommandLimits, DocumentLimits } from '../limits.js';
import type { CollectionRecord, SchemaStore } from '../schema-store.js';
import { isObject, type Json, type JsonObject } from '../typed-values.js';

/** Where a command is addressed: the database, a keyspace, or a collection or table. */
export type CommandLevel = 'database' | 'keyspace' | 'collection';

export interface KeyspaceAdmin {
  addKeyspace(actor: Actor, databaseId: string, keyspace: string): Promise<void>;
  dropKeyspace(actor: Actor, databaseId: string, keyspace: string): Promise<boolean>;
}

export interface CommandContext {
  database: DatabaseRecord;
  actor: Actor;
  store: DataStore;
  schema: SchemaStore;
  clock: Clock;
  documentLimits: DocumentLimits;
  commandLimits: CommandLimits;
  maxCollections: number;
  keyspaceAdmin: KeyspaceAdmin;
  keyspace: string;
  /** Set for collection-level commands (a collection or a table); read it through collectionOf. */
  collection?: CollectionRecord;
  /** The request body as sent, for table commands, which read its numbers exactly. */
  requestBody: string;
}

/** The collection a collection-level command is addressed to. */
export function collectionOf(context: CommandContext): CollectionRecord {
  if (!context.collection) throw new Error('a collection-level command ran without its collection');
  return context.collection;
}

export interface CommandResult {
  status?: Record<string, unknown>;
  data?: Record<string, unknown>;
  errors?: DataApiError[];
  /** The response holds numbers to be written out exactly (table rows). */
  exactNumbers?: boolean;
}

/** A command: the level it is addressed to, the data action it needs, and what it does. */
export interface Command {
  level: CommandLevel;
  /** The action decided on the target's DRN (database, keyspace, or keyspace:table:<name>). */
  action: string;
  /** The fields its body may have. */
  fields: readonly string[];
  /** The options it takes (`options` being one of its fields). */
  options?: readonly string[];
  /** Where the action applies when it names a schema object in the body (createCollection's name, createKeyspace's name). */
  target?: (args: JsonObject) => string | undefined;
  run(context: CommandContext, args: JsonObject): Promise<CommandResult>;
}

/** Checks a command body against the fields and options its command takes. */
export function checkFields(name: string, command: Command, args: Json): JsonObject {
  if (!isObject(args)) fail('COMMAND_FIELD_VALUE_INVALID', `The body of ${name} must be a JSON object.`);
  for (const field of Object.keys(args)) {
    // Options sent to a command that takes none get their own error below.
    if (field === 'options' && !command.options) continue;
    if (!command.fields.includes(field))
      fail(
        'COMMAND_FIELD_UNKNOWN',
        `${name} has no field "${field}"; it takes ${command.fields.join(', ') || 'no fields'}.`,
      );
  }
  const options = args.options;
  if (options !== undefined && options !== null) {
    if (!isObject(options)) fail('COMMAND_FIELD_VALUE_INVALID', `${name}'s options must be a JSON object.`);
    const known = command.options ?? [];
    if (known.length === 0 && Object.keys(options).length > 0)
      fail('COMMAND_ACCEPTS_NO_OPTIONS', `${name} takes no options.`);
    for (const option of Object.keys(options)) {
      if (!known.includes(option))
        fail('COMMAND_FIELD_UNKNOWN', `${name} has no option "${option}"; it takes ${known.join(', ')}.`);
    }
  }
  return args;
}

export function optionsOf(args: JsonObject): JsonObject {
  return isObject(args.options) ? args.options : {};
}

export function booleanOption(name: string, options: JsonObject, option: string): boolean {
  const value = options[option];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean')
    fail('COMMAND_FIELD_VALUE_INVALID', `${name}'s option ${option} must be true or false.`);
  return value;
}

export function wholeNumberOption(name: string, options: JsonObject, option: string): number | undefined {
  const value = options[option];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    fail('COMMAND_FIELD_VALUE_INVALID', `${name}'s option ${option} must be a whole number, 0 or more.`);
  return value;
}
