import { fail } from '../data-api-errors.js';
import type { CollectionRecord, SchemaStore } from '../schema-store.js';
import { booleanOption, collectionOf, optionsOf, type Command, type CommandContext } from './command.js';
import { METRICS, type Metric } from '../vectors.js';
import {
  describeUdt,
  isScalar,
  parseColumnType,
  parseUdtFields,
  type ColumnType,
  type UdtDefinition,
} from '../tables/column-types.js';
import { isExactObject, type ExactJson } from '../tables/exact-json.js';
import { exactArgs, udtsOf } from './table-access.js';
import {
  checkColumnName,
  checkSchemaName,
  columnList,
  describeIndex,
  describeTable,
  parseTableDefinition,
  primaryKeyColumns,
  tableOf,
  type TableDefinition,
  type TableIndex,
} from '../tables/table-definition.js';
import { TableRows } from '../tables/table-rows.js';

const nameInBody = (args: Record<string, unknown>) => (typeof args.name === 'string' ? args.name : undefined);

/** Runs schema work in one transaction, with the schema store bound to it. */
function inTransaction<T>(
  context: CommandContext,
  work: (schema: SchemaStore, trx: CommandContext['store']['db']) => Promise<T>,
) {
  return context.store.db.transaction().execute((trx) => work(context.schema.withTransaction(trx), trx));
}

const createTable: Command = {
  level: 'keyspace',
  action: 'db-table-create',
  fields: ['name', 'definition', 'options'],
  options: ['ifNotExists'],
  target: nameInBody,
  async run(context, args) {
    const name = checkSchemaName('table', args.name);
    const ifNotExists = booleanOption('createTable', optionsOf(args), 'ifNotExists');
    const udts = await udtsOf(context.schema, context.keyspace);
    const definition = parseTableDefinition(exactArgs(context).definition, udts);
    const existing = await context.schema.collection(context.keyspace, name);
    if (existing) {
      if (ifNotExists && existing.kind === 'table') return { status: { ok: 1 } };
      fail(
        'CANNOT_ADD_EXISTING_TABLE',
        `Keyspace ${context.keyspace} already has a table or collection named ${name}.`,
      );
    }
    const count = await context.schema.countCollections();
    if (count >= context.maxCollections)
      fail('TOO_MANY_COLLECTIONS', `The database already has ${count} collections and tables, the most it may have.`);
    await inTransaction(context, async (schema, trx) => {
      const record = await schema.addCollection(
        context.keyspace,
        name,
        definition as never,
        context.clock.now().toISOString(),
        'table',
      );
      await new TableRows(context.store, record.id, definition, trx).create();
    });
    return { status: { ok: 1 } };
  },
};

const listTables: Command = {
  level: 'keyspace',
  action: 'db-keyspace-describe',
  fields: ['options'],
  options: ['explain'],
  async run(context, args) {
    const explain = booleanOption('listTables', optionsOf(args), 'explain');
    const tables = await context.schema.objects(context.keyspace, 'table');
    if (!explain) return { status: { tables: tables.map((t) => t.name) } };
    const udts = await udtsOf(context.schema, context.keyspace);
    return { status: { tables: tables.map((t) => ({ name: t.name, definition: describeTable(tableOf(t), udts) })) } };
  },
};

const dropTable: Command = {
  level: 'keyspace',
  action: 'db-table-drop',
  fields: ['name', 'options'],
  options: ['ifExists'],
  target: nameInBody,
  async run(context, args) {
    const name = checkSchemaName('table', args.name);
    const existing = await context.schema.collection(context.keyspace, name);
    if (!existing || existing.kind !== 'table') {
      if (booleanOption('dropTable', optionsOf(args), 'ifExists')) return { status: { ok: 1 } };
      fail('CANNOT_DROP_UNKNOWN_TABLE', `Keyspace ${context.keyspace} has no table named ${name}.`);
    }
    await inTransaction(context, (schema) => schema.dropTable(existing));
    return { status: { ok: 1 } };
  },
};

/** The table that holds the named index, among the keyspace's tables. */
async function indexOwner(schema: SchemaStore, keyspace: string, index: string) {
  for (const record of await schema.objects(keyspace, 'table')) {
    const found = tableOf(record).indexes.find((i) => i.name === index);
    if (found) return { record, index: found };
  }
  return undefined;
}

const dropIndex: Command = {
  level: 'keyspace',
  action: 'db-table-alter',
  fields: ['name', 'options'],
  options: ['ifExists'],
  async run(context, args) {
    const name = checkSchemaName('index', args.name);
    const owner = await indexOwner(context.schema, context.keyspace, name);
    if (!owner) {
      if (booleanOption('dropIndex', optionsOf(args), 'ifExists')) return { status: { ok: 1 } };
      fail('CANNOT_DROP_UNKNOWN_INDEX', `Keyspace ${context.keyspace} has no index named ${name}.`);
    }
    const table = tableOf(owner.record);
    const next: TableDefinition = { ...table, indexes: table.indexes.filter((i) => i.name !== name) };
    await inTransaction(context, async (schema, trx) => {
      await new TableRows(context.store, owner.record.id, table, trx).dropIndex(owner.index);
      await schema.updateSettings(owner.record.id, next);
    });
    return { status: { ok: 1 } };
  },
};

function tablesUsingType(tables: CollectionRecord[], type: string): string[] {
  const uses = (t: ColumnType): boolean =>
    t.type === 'userDefined'
      ? t.udtName === type
      : 'valueType' in t
        ? uses(t.valueType) || ('keyType' in t && uses(t.keyType))
        : false;
  return tables.filter((t) => Object.values(tableOf(t).columns).some(uses)).map((t) => t.name);
}

const createType: Command = {
  level: 'keyspace',
  action: 'db-keyspace-alter',
  fields: ['name', 'definition', 'options'],
  options: ['ifNotExists'],
  async run(context, args) {
    const name = checkSchemaName('type', args.name);
    const definition = exactArgs(context).definition;
    const fields = parseUdtFields(isExactObject(definition) ? definition.fields : undefined);
    const existing = (await context.schema.types(context.keyspace)).find((t) => t.name === name);
    if (existing) {
      if (booleanOption('createType', optionsOf(args), 'ifNotExists')) return { status: { ok: 1 } };
      fail('CANNOT_ADD_EXISTING_TYPE', `Keyspace ${context.keyspace} already has a type named ${name}.`);
    }
    const udt: UdtDefinition = { fields };
    await context.schema.putType(context.keyspace, name, udt, context.clock.now().toISOString());
    return { status: { ok: 1 } };
  },
};

const alterType: Command = {
  level: 'keyspace',
  action: 'db-keyspace-alter',
  fields: ['name', 'add', 'rename'],
  async run(context, args) {
    const name = checkSchemaName('type', args.name);
    const existing = (await context.schema.types(context.keyspace)).find((t) => t.name === name);
    if (!existing) fail('UNKNOWN_USER_DEFINED_TYPE', `Keyspace ${context.keyspace} has no type named ${name}.`);
    const exact = exactArgs(context);
    const udt = existing.definition as UdtDefinition;
    if (!exact.add && !exact.rename) fail('MISSING_ALTER_TYPE_OPERATIONS', 'alterType needs "add" or "rename".');
    let fields = { ...udt.fields };
    if (exact.add) {
      const added = parseUdtFields(isExactObject(exact.add) ? exact.add.fields : undefined);
      const clash = Object.keys(added).filter((f) => fields[f]);
      if (clash.length) fail('CANNOT_ADD_EXISTING_FIELD', `Type ${name} already has the fields ${clash.join(', ')}.`);
      fields = { ...fields, ...added };
    }
    if (exact.rename) {
      const renames = isExactObject(exact.rename) && isExactObject(exact.rename.fields) ? exact.rename.fields : {};
      const unknown = Object.keys(renames).filter((f) => !fields[f]);
      if (unknown.length) fail('CANNOT_RENAME_UNKNOWN_TYPE_FIELD', `Type ${name} has no fields ${unknown.join(', ')}.`);
      if (Object.keys(renames).length) {
        // Stored values name their fields, so a rename is refused once tables use the type (see docs/data-api.md).
        const users = tablesUsingType(await context.schema.objects(context.keyspace, 'table'), name);
        if (users.length)
          fail(
            'UNSUPPORTED_TYPE_FIELDS',
            `Type ${name} is used by the tables ${users.join(', ')}; its fields cannot be renamed here.`,
          );
      }
      fields = Object.fromEntries(
        Object.entries(fields).map(([f, t]) => [typeof renames[f] === 'string' ? renames[f] : f, t]),
      );
    }
    await context.schema.putType(context.keyspace, name, { fields }, context.clock.now().toISOString());
    return { status: { ok: 1 } };
  },
};

const dropType: Command = {
  level: 'keyspace',
  action: 'db-keyspace-alter',
  fields: ['name', 'options'],
  options: ['ifExists'],
  async run(context, args) {
    const name = checkSchemaName('type', args.name);
    const existing = (await context.schema.types(context.keyspace)).find((t) => t.name === name);
    if (!existing) {
      if (booleanOption('dropType', optionsOf(args), 'ifExists')) return { status: { ok: 1 } };
      fail('CANNOT_DROP_UNKNOWN_TYPE', `Keyspace ${context.keyspace} has no type named ${name}.`);
    }
    const users = tablesUsingType(await context.schema.objects(context.keyspace, 'table'), name);
    if (users.length) fail('CANNOT_DROP_TYPE_USED_BY_TABLE', `Type ${name} is used by the tables ${users.join(', ')}.`);
    await context.schema.dropType(context.keyspace, name);
    return { status: { ok: 1 } };
  },
};

const listTypes: Command = {
  level: 'keyspace',
  action: 'db-keyspace-describe',
  fields: ['options'],
  options: ['explain'],
  async run(context, args) {
    const explain = booleanOption('listTypes', optionsOf(args), 'explain');
    const types = await context.schema.types(context.keyspace);
    if (!explain) return { status: { types: types.map((t) => t.name) } };
    const udts = await udtsOf(context.schema, context.keyspace);
    return {
      status: {
        types: types.map((t) => ({
          type: 'userDefined',
          udtName: t.name,
          definition: describeUdt(t.definition as UdtDefinition, udts),
        })),
      },
    };
  },
};

export const TABLE_KEYSPACE_COMMANDS: Record<string, Command> = {
  createTable,
  listTables,
  dropTable,
  dropIndex,
  createType,
  alterType,
  dropType,
  listTypes,
};

// Table level: alterTable and the index commands.

/** Records a changed definition and runs the SQL that goes with it, in one transaction. */
async function changeTable(
  context: CommandContext,
  next: TableDefinition,
  sqlWork: (rows: TableRows) => Promise<void>,
): Promise<void> {
  const record = collectionOf(context);
  await inTransaction(context, async (schema, trx) => {
    await sqlWork(new TableRows(context.store, record.id, next, trx));
    await schema.updateSettings(record.id, next);
  });
}

const alterTable: Command = {
  level: 'collection',
  action: 'db-table-alter',
  fields: ['operation'],
  async run(context) {
    const record = collectionOf(context);
    const table = tableOf(record);
    const operation = exactArgs(context).operation;
    if (!isExactObject(operation) || Object.keys(operation).length !== 1)
      fail(
        'MISSING_ALTER_TABLE_OPERATIONS',
        'alterTable needs "operation" with exactly one of add, drop, addVectorize, dropVectorize.',
      );
    const [kind, spec] = Object.entries(operation)[0]!;
    if (kind === 'add') {
      const columnsSpec = isExactObject(spec) ? spec.columns : undefined;
      if (!isExactObject(columnsSpec) || Object.keys(columnsSpec).length === 0)
        fail('MISSING_ALTER_TABLE_OPERATIONS', 'alterTable add needs "columns", an object of at least one column.');
      const udts = await udtsOf(context.schema, context.keyspace);
      const existing = Object.keys(columnsSpec).filter((c) => table.columns[c]);
      if (existing.length)
        fail(
          'CANNOT_ADD_EXISTING_COLUMNS',
          `Table ${record.name} has the columns ${columnList(table)}; it already has ${existing.join(', ')}.`,
        );
      const added: Record<string, ColumnType> = {};
      for (const [name, columnSpec] of Object.entries(columnsSpec)) {
        checkColumnName(name);
        if (isExactObject(columnSpec) && columnSpec.service !== undefined && columnSpec.service !== null)
          fail('VECTORIZE_FEATURE_NOT_AVAILABLE', `Column ${name}: this server computes no embeddings (vectorize).`);
        added[name] = parseColumnType(name, columnSpec, udts);
      }
      await changeTable(context, { ...table, columns: { ...table.columns, ...added } }, (rows) =>
        rows.addColumns(added),
      );
      return { status: { ok: 1 } };
    }
    if (kind === 'drop') {
      const names = isExactObject(spec) && Array.isArray(spec.columns) ? spec.columns : undefined;
      if (!names || names.length === 0 || !names.every((c) => typeof c === 'string'))
        fail('MISSING_ALTER_TABLE_OPERATIONS', 'alterTable drop needs "columns", an array of column names.');
      const dropped = names;
      const unknown = dropped.filter((c) => !table.columns[c]);
      if (unknown.length)
        fail(
          'CANNOT_DROP_UNKNOWN_COLUMNS',
          `Table ${record.name} has the columns ${columnList(table)}; it has no ${unknown.join(', ')}.`,
        );
      const keyed = dropped.filter((c) => primaryKeyColumns(table).includes(c));
      if (keyed.length)
        fail(
          'CANNOT_DROP_PRIMARY_KEY_COLUMNS',
          `Table ${record.name} has the primary key ${primaryKeyColumns(table).join(', ')}; ${keyed.join(', ')} cannot be dropped.`,
        );
      const indexed = table.indexes.filter((i) => dropped.includes(i.column));
      if (indexed.length)
        fail(
          'CANNOT_DROP_INDEXED_COLUMNS',
          `The columns ${indexed.map((i) => i.column).join(', ')} have the indexes ${indexed.map((i) => i.name).join(', ')}; drop those first.`,
        );
      const columns = Object.fromEntries(Object.entries(table.columns).filter(([c]) => !dropped.includes(c)));
      await changeTable(context, { ...table, columns }, (rows) => rows.dropColumns(dropped));
      return { status: { ok: 1 } };
    }
    if (kind === 'addVectorize')
      fail('VECTORIZE_FEATURE_NOT_AVAILABLE', 'This server computes no embeddings (vectorize).');
    if (kind === 'dropVectorize') {
      const names = isExactObject(spec) && Array.isArray(spec.columns) ? spec.columns : [];
      const unknown = names.filter((c) => typeof c !== 'string' || !table.columns[c]).map((c) => JSON.stringify(c));
      if (unknown.length)
        fail(
          'CANNOT_DROP_VECTORIZE_FROM_UNKNOWN_COLUMNS',
          `Table ${record.name} has the columns ${columnList(table)}; it has no ${unknown.join(', ')}.`,
        );
      // No column has a vectorize definition here, so there is nothing to drop.
      return { status: { ok: 1 } };
    }
    return fail(
      'MISSING_ALTER_TABLE_OPERATIONS',
      `alterTable takes add, drop, addVectorize or dropVectorize, not ${kind}.`,
    );
  },
};

/** The index definition's column: a name, or `{column: "$keys" | "$values"}` for a map. */
function indexColumn(definition: ExactJson | undefined, table: TableDefinition) {
  const spec = isExactObject(definition) ? definition.column : undefined;
  let column: string | undefined;
  let target: TableIndex['target'];
  if (typeof spec === 'string') column = spec;
  else if (isExactObject(spec) && Object.keys(spec).length === 1) {
    const [name, value] = Object.entries(spec)[0]!;
    if (value !== '$keys' && value !== '$values')
      fail(
        'INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN',
        `A map index takes {"${name}": "$keys"} or {"${name}": "$values"}.`,
      );
    column = name;
    target = value;
  }
  if (!column)
    fail(
      'INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN',
      'The index definition needs "column", a column name or {column: "$keys" | "$values"}.',
    );
  const type = table.columns[column];
  if (!type) fail('UNKNOWN_INDEX_COLUMN', `The table has the columns ${columnList(table)}; it has no ${column}.`);
  if (target && type.type !== 'map')
    fail('INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN', `$keys and $values index map columns; ${column} is ${type.type}.`);
  if (!target && type.type === 'map') target = '$entries';
  return { column, target, type };
}

async function addIndex(
  context: CommandContext,
  args: Record<string, unknown>,
  command: string,
  build: (table: TableDefinition, definition: ExactJson | undefined) => TableIndex,
) {
  const name = checkSchemaName('index', args.name);
  const table = tableOf(collectionOf(context));
  const index = build(table, exactArgs(context).definition);
  if (await indexOwner(context.schema, context.keyspace, name)) {
    if (booleanOption(command, optionsOf(args as never), 'ifNotExists')) return { status: { ok: 1 } };
    fail('CANNOT_ADD_EXISTING_INDEX', `Keyspace ${context.keyspace} already has an index named ${name}.`);
  }
  const next = { ...table, indexes: [...table.indexes, { ...index, name }] };
  await changeTable(context, next, (rows) => rows.createIndex({ ...index, name }));
  return { status: { ok: 1 } };
}

function optionFlag(options: ExactJson | undefined, name: string): boolean | undefined {
  const value = isExactObject(options) ? options[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') fail('INVALID_INDEX_DEFINITION', `The index option ${name} must be true or false.`);
  return value;
}

const TEXT_TYPES = ['text', 'ascii', 'varchar'];

const createIndex: Command = {
  level: 'collection',
  action: 'db-table-alter',
  fields: ['name', 'definition', 'options', 'indexType'],
  options: ['ifNotExists'],
  run: (context, args) =>
    addIndex(context, args, 'createIndex', (table, definition) => {
      const { column, target, type } = indexColumn(definition, table);
      const element =
        type.type === 'map'
          ? target === '$keys'
            ? type.keyType
            : type.valueType
          : 'valueType' in type
            ? type.valueType
            : type;
      if (type.type === 'vector' || type.type === 'userDefined' || !isScalar(element))
        fail(
          'UNSUPPORTED_INDEXING_FOR_DATA_TYPES',
          `Column ${column} is ${type.type}; regular indexes take scalar columns and collections of scalars.`,
        );
      const options = isExactObject(definition) ? definition.options : undefined;
      const textOptions = {
        caseSensitive: optionFlag(options, 'caseSensitive'),
        normalize: optionFlag(options, 'normalize'),
        ascii: optionFlag(options, 'ascii'),
      };
      const anyText = Object.values(textOptions).some((v) => v !== undefined);
      if (anyText && !TEXT_TYPES.includes(element.type))
        fail(
          'INVALID_INDEX_DEFINITION',
          `caseSensitive, normalize and ascii apply to text columns; ${column} is ${type.type}.`,
        );
      return { name: '', column, kind: 'regular', ...(target ? { target } : {}), options: textOptions };
    }),
};

const createVectorIndex: Command = {
  level: 'collection',
  action: 'db-table-alter',
  fields: ['name', 'definition', 'options', 'indexType'],
  options: ['ifNotExists'],
  run: (context, args) =>
    addIndex(context, args, 'createVectorIndex', (table, definition) => {
      const { column, type } = indexColumn(definition, table);
      if (type.type !== 'vector')
        fail(
          'UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES',
          `Column ${column} is ${type.type}; vector indexes take vector columns.`,
        );
      const options = isExactObject(definition) && isExactObject(definition.options) ? definition.options : {};
      const metric = options.metric ?? 'cosine';
      if (typeof metric !== 'string' || !(METRICS as readonly string[]).includes(metric))
        fail('UNKNOWN_VECTOR_METRIC', `The metrics are ${METRICS.join(', ')}; ${JSON.stringify(metric)} is not one.`);
      const sourceModel = typeof options.sourceModel === 'string' ? options.sourceModel : undefined;
      return {
        name: '',
        column,
        kind: 'vector',
        options: { metric: metric as Metric, ...(sourceModel ? { sourceModel } : {}) },
      };
    }),
};

const createTextIndex: Command = {
  level: 'collection',
  action: 'db-table-alter',
  fields: ['name', 'definition', 'options'],
  options: ['ifNotExists'],
  run: (context, args) =>
    addIndex(context, args, 'createTextIndex', (table, definition) => {
      const { column, type } = indexColumn(definition, table);
      if (!TEXT_TYPES.includes(type.type))
        fail(
          'UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES',
          `Column ${column} is ${type.type}; text indexes take text columns.`,
        );
      const options = isExactObject(definition) && isExactObject(definition.options) ? definition.options : {};
      return { name: '', column, kind: 'text', options: { analyzer: options.analyzer ?? 'standard' } };
    }),
};

const listIndexes: Command = {
  level: 'collection',
  action: 'db-table-describe',
  fields: ['options'],
  options: ['explain'],
  async run(context, args) {
    const explain = booleanOption('listIndexes', optionsOf(args), 'explain');
    const indexes = tableOf(collectionOf(context)).indexes;
    return { status: { indexes: explain ? indexes.map(describeIndex) : indexes.map((i) => i.name) } };
  },
};

export const TABLE_SCHEMA_COMMANDS: Record<string, Command> = {
  alterTable,
  createIndex,
  createVectorIndex,
  createTextIndex,
  listIndexes,
};
