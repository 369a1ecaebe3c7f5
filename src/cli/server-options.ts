import type { Command } from 'commander';
import { OPTIONS } from '../config.js';

type ServerOption = (typeof OPTIONS)[number];

function attributeName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Declares server settings as flags, each naming its environment variable. */
export function addServerOptions(command: Command, only?: (option: ServerOption) => boolean): Command {
  for (const option of OPTIONS.filter((o) => !only || only(o)))
    command.option(`--${option.flag} <value>`, `${option.help} [${option.env}]`);
  return command;
}

/** The server settings given as flags, keyed by flag name as loadConfig takes them. */
export function serverFlags(options: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(OPTIONS.map((o) => [o.flag, options[attributeName(o.flag)] as string | undefined]));
}
