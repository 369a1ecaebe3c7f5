import { InvalidArgumentError, type Command } from 'commander';
import { ApiClient } from './api-client.js';
import type { OutputFormat } from './output.js';
import { resolveConnection } from './profiles.js';

export interface GlobalOptions {
  profile?: string;
  url?: string;
  token?: string;
  output?: OutputFormat;
}

/** What every API command needs: a client for the chosen server and the output format. */
export function contextOf(command: Command): { client: ApiClient; format: OutputFormat } {
  const options = command.optsWithGlobals<GlobalOptions>();
  const { url, token } = resolveConnection(options);
  return { client: new ApiClient(url, token), format: options.output ?? 'human' };
}

/** Options shared by commands that wait for a database to reach a status. */
export function addWaitOptions(command: Command, defaultTimeoutSeconds: number): Command {
  return command
    .option('--async', 'return at once instead of waiting for the final status', false)
    .option('--timeout <seconds>', 'seconds to wait for the final status', positiveInteger, defaultTimeoutSeconds);
}

export function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return value;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
