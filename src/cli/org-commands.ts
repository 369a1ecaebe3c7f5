import { Command } from 'commander';
import { contextOf, positiveInteger } from './context.js';
import { outputOption, printObject, printRows } from './output.js';

interface AuditEvent {
  id: string;
  time: string;
  actor: string;
  action: string;
  resource: string;
  address: string;
  result?: string;
}

export function orgCommand(): Command {
  return new Command('org')
    .description('show the organization the token belongs to')
    .addOption(outputOption())
    .action(async (_flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const org = await client.get<{ id: string; name: string }>('/v2/currentOrg');
      printObject(
        format,
        [
          ['Id', org.id],
          ['Name', org.name],
        ],
        org,
      );
    });
}

export function auditCommand(): Command {
  return new Command('audit')
    .description("list the organization's audit events, newest first")
    .option('--limit <n>', 'how many events', positiveInteger, 50)
    .option('--action <action>', 'only this action, e.g. GENERATE_TOKEN')
    .option('--actor <clientId>', 'only events by this actor')
    .option('--since <time>', 'only events at or after this RFC 3339 time')
    .option('--until <time>', 'only events before this RFC 3339 time')
    .addOption(outputOption())
    .action(
      async (
        flags: { limit: number; action?: string; actor?: string; since?: string; until?: string },
        command: Command,
      ) => {
        const { client, format } = contextOf(command);
        const query = new URLSearchParams({ limit: String(flags.limit) });
        for (const key of ['action', 'actor', 'since', 'until'] as const) if (flags[key]) query.set(key, flags[key]);
        const { events } = await client.get<{ events: AuditEvent[] }>(`/v2/organizations/audit-events?${query}`);
        printRows(
          format,
          [
            { header: 'Time', value: (e) => e.time },
            { header: 'Action', value: (e) => e.action },
            { header: 'Actor', value: (e) => e.actor },
            { header: 'Resource', value: (e) => e.resource },
            { header: 'Address', value: (e) => e.address },
            { header: 'Result', value: (e) => e.result },
          ],
          events,
        );
      },
    );
}
