import { Command } from 'commander';
import type { JournalEntry } from '../emulator/journal.js';
import { contextOf, positiveInteger } from './context.js';
import { outputOption, printRows } from './output.js';

export function journalCommand(): Command {
  return new Command('journal')
    .description('the last requests the server served, with secrets masked (needs ORRERY_EMULATOR=true on the server)')
    .option('--method <method>', 'only this HTTP method')
    .option('--path <text>', 'only paths containing this')
    .option('--status <code>', 'only this response status', positiveInteger)
    .option('--caller <clientId>', "only this token's requests")
    .option('--limit <n>', 'only the last n', positiveInteger)
    .addOption(outputOption())
    .action(
      async (
        flags: { method?: string; path?: string; status?: number; caller?: string; limit?: number },
        command: Command,
      ) => {
        const { client, format } = contextOf(command);
        const query = new URLSearchParams();
        for (const key of ['method', 'path', 'status', 'caller', 'limit'] as const)
          if (flags[key] !== undefined) query.set(key, String(flags[key]));
        const { entries } = await client.get<{ entries: JournalEntry[] }>(`/_orrery/journal?${query}`);
        printRows(
          format,
          [
            { header: 'Time', value: (e) => e.at },
            { header: 'Method', value: (e) => e.method },
            { header: 'Path', value: (e) => e.path },
            { header: 'Status', value: (e) => e.status },
            { header: 'Ms', value: (e) => e.durationMs },
            { header: 'Caller', value: (e) => e.caller },
            { header: 'Body', value: (e) => e.body },
          ],
          entries,
        );
      },
    );
}
