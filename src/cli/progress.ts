import ora from 'ora';
import type { ApiClient } from './api-client.js';
import { CliError, ExitCode } from './exit-codes.js';

export interface WaitOptions {
  /** Seconds before giving up. */
  timeoutSeconds: number;
  /** Milliseconds between polls. */
  intervalMs?: number;
}

/**
 * Shows progress on standard error, so standard output stays clean for scripts: a spinner with the
 * current status on a terminal, one line per status change otherwise (CI logs).
 */
function progressReporter() {
  if (process.stderr.isTTY) {
    const spinner = ora({ stream: process.stderr }).start();
    return {
      update: (text: string) => (spinner.text = text),
      succeed: (text: string) => spinner.succeed(text),
      fail: () => spinner.fail(),
    };
  }
  let last = '';
  return {
    update: (text: string) => {
      if (text !== last) process.stderr.write(text + '\n');
      last = text;
    },
    succeed: (text: string) => process.stderr.write(text + '\n'),
    fail: () => undefined,
  };
}

/** Polls a database until it reaches `target`; ERROR (or TERMINATED, when not the target) ends the wait as a failure. */
export async function waitForDatabaseStatus(
  client: ApiClient,
  databaseId: string,
  target: string,
  options: WaitOptions,
): Promise<Record<string, unknown>> {
  const progress = progressReporter();
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const failOn = ['ERROR', 'TERMINATED'].filter((s) => s !== target);
  try {
    for (;;) {
      const database = await client.get<Record<string, unknown>>(`/v2/databases/${databaseId}`);
      const status = String(database.status);
      if (status === target) {
        progress.succeed(`database ${databaseId} is ${status}`);
        return database;
      }
      progress.update(`database ${databaseId} is ${status}, waiting for ${target}`);
      if (failOn.includes(status))
        throw new CliError(`database ${databaseId} is ${status}, not ${target}`, ExitCode.timeout);
      if (Date.now() >= deadline)
        throw new CliError(
          `database ${databaseId} is still ${status} after ${options.timeoutSeconds}s (wanted ${target})`,
          ExitCode.timeout,
        );
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  } catch (error) {
    progress.fail();
    throw error;
  }
}
