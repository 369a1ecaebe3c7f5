import { fail } from '../data-api-errors.js';
import type { SchemaStore } from '../schema-store.js';
import { collectionOf, type CommandContext } from './command.js';
import type { ColumnType, UdtDefinition, UdtLookup } from '../tables/column-types.js';
import { isExactObject, parseExact, type ExactObject } from '../tables/exact-json.js';
import { tableOf } from '../tables/table-definition.js';
import type { TableScope } from '../tables/table-filter.js';
import { TableRows } from '../tables/table-rows.js';

/** The keyspace's user-defined types, by name. */
export async function udtsOf(schema: SchemaStore, keyspace: string): Promise<UdtLookup> {
  const types = new Map((await schema.types(keyspace)).map((t) => [t.name, t.definition as UdtDefinition]));
  return (name) => types.get(name);
}

const NO_TYPES: UdtLookup = () => undefined;

function usesTypes(columns: Record<string, ColumnType>): boolean {
  return JSON.stringify(columns).includes('"userDefined"');
}

/** What a table-level command works on: the table, its rows and its types. */
export async function tableScope(context: CommandContext): Promise<TableScope> {
  const record = collectionOf(context);
  const table = tableOf(record);
  return {
    keyspace: context.keyspace,
    name: record.name,
    table,
    rows: new TableRows(context.store, record.id, table),
    udts: usesTypes(table.columns) ? await udtsOf(context.schema, context.keyspace) : NO_TYPES,
    sqlite: context.store.dialect === 'sqlite',
    maxInValues: context.commandLimits.maxInValues,
  };
}

/** Runs the work on the table's rows inside one transaction (on SQLite, every statement of it must use `trx`). */
export function inRowTransaction<T>(
  context: CommandContext,
  scope: TableScope,
  work: (scope: TableScope) => Promise<T>,
) {
  const id = collectionOf(context).id;
  return context.store.db
    .transaction()
    .execute((trx) => work({ ...scope, rows: new TableRows(context.store, id, scope.table, trx) }));
}

/** The command's body read again with every number exact (see exact-json.ts). */
export function exactArgs(context: CommandContext): ExactObject {
  const parsed = parseExact(context.requestBody);
  const body = isExactObject(parsed) ? Object.values(parsed)[0] : undefined;
  return isExactObject(body) ? body : {};
}

export function requireExactObject(command: string, field: string, value: unknown): ExactObject {
  if (!isExactObject(value as never))
    fail('COMMAND_FIELD_VALUE_INVALID', `${command} needs "${field}" as a JSON object.`);
  return value as ExactObject;
}
