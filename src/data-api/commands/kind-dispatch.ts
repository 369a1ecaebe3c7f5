import { fail } from '../data-api-errors.js';
import { checkFields, type Command } from './command.js';

/**
 * Collection-level commands go to a collection or a table, found by name in one namespace. Each name
 * maps to its collection variant and its table variant; the target's kind picks one, whose fields are
 * then checked. The fields checked before the lookup are the union of both.
 */
export function byTargetKind(
  collectionCommands: Record<string, Command>,
  tableCommands: Record<string, Command>,
): Record<string, Command> {
  const names = [...new Set([...Object.keys(collectionCommands), ...Object.keys(tableCommands)])];
  return Object.fromEntries(
    names.map((name) => {
      const forCollections = collectionCommands[name];
      const forTables = tableCommands[name];
      const first = (forCollections ?? forTables)!;
      // The permission is decided before the target is looked up, so both variants must need the same action.
      if (forCollections && forTables && forCollections.action !== forTables.action)
        throw new Error(`${name} needs ${forCollections.action} on collections but ${forTables.action} on tables`);
      const union = (pick: (c: Command) => readonly string[] | undefined) => {
        const values = [forCollections, forTables].flatMap((c) => (c && pick(c)) ?? []);
        return values.length ? [...new Set(values)] : undefined;
      };
      const command: Command = {
        level: 'collection',
        action: first.action,
        fields: union((c) => c.fields) ?? [],
        ...(union((c) => c.options) ? { options: union((c) => c.options) } : {}),
        async run(context, args) {
          const isTable = context.collection?.kind === 'table';
          const variant = isTable ? forTables : forCollections;
          if (!variant)
            fail(
              isTable ? 'UNSUPPORTED_TABLE_COMMAND' : 'UNSUPPORTED_COLLECTION_COMMAND',
              `${name} does not run against the ${isTable ? 'table' : 'collection'} ${context.keyspace}.${context.collection?.name}; ` +
                `${isTable ? 'tables' : 'collections'} take ${Object.keys(isTable ? tableCommands : collectionCommands).join(', ')}.`,
            );
          return variant.run(context, checkFields(name, variant, args));
        },
      };
      return [name, command];
    }),
  );
}
