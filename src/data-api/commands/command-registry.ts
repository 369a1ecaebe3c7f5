import type { Command, CommandLevel } from './command.js';
import { DATABASE_COMMANDS } from './database-commands.js';
import { KEYSPACE_COMMANDS } from './keyspace-commands.js';
import { READ_COMMANDS } from './read-commands.js';
import { UPDATE_COMMANDS } from './update-commands.js';
import { WRITE_COMMANDS } from './write-commands.js';
import { byTargetKind } from './kind-dispatch.js';
import { ROW_COMMANDS } from './table-row-commands.js';
import { TABLE_KEYSPACE_COMMANDS, TABLE_SCHEMA_COMMANDS } from './table-schema-commands.js';

const COLLECTION_COMMANDS: Record<string, Command> = { ...READ_COMMANDS, ...WRITE_COMMANDS, ...UPDATE_COMMANDS };
const TABLE_COMMANDS: Record<string, Command> = { ...ROW_COMMANDS, ...TABLE_SCHEMA_COMMANDS };

/** Commands by the level they are addressed to; a collection-level command runs the variant for the target's kind. */
const BY_LEVEL: Record<CommandLevel, Record<string, Command>> = {
  database: DATABASE_COMMANDS,
  keyspace: { ...KEYSPACE_COMMANDS, ...TABLE_KEYSPACE_COMMANDS },
  collection: byTargetKind(COLLECTION_COMMANDS, TABLE_COMMANDS),
};

/** Older command names that still work, with the name that replaced them (answered with a deprecation warning). */
export const DEPRECATED_NAMES: Record<string, string> = {
  findNamespaces: 'findKeyspaces',
  createNamespace: 'createKeyspace',
  dropNamespace: 'dropKeyspace',
};

export function findCommand(level: CommandLevel, name: string): Command | undefined {
  return Object.hasOwn(BY_LEVEL[level], name) ? BY_LEVEL[level][name] : undefined;
}

/** The levels at which a name is a command, for telling "wrong place" from "no such command". */
export function levelsOf(name: string): CommandLevel[] {
  return (Object.keys(BY_LEVEL) as CommandLevel[]).filter((level) => Object.hasOwn(BY_LEVEL[level], name));
}
