import { Command } from 'commander';
import { collect, contextOf } from './context.js';
import { listRoles, roleIds } from './iam-lookup.js';
import { outputOption, printDone, printObject, printRows } from './output.js';

interface ListedToken {
  clientId: string;
  roles: string[];
  generatedOn: string;
  description: string;
  tokenExpiry: string | null;
}

export function tokenCommands(): Command {
  const token = new Command('token').description('application tokens');

  token
    .command('list')
    .description("list the organization's tokens (never their secrets)")
    .addOption(outputOption())
    .action(async (_flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const [{ clients }, roles] = await Promise.all([
        client.get<{ clients: ListedToken[] }>('/v2/tokens'),
        listRoles(client),
      ]);
      const roleName = (id: string) => roles.find((r) => r.ID === id)?.Name ?? id;
      printRows(
        format,
        [
          { header: 'Client Id', value: (t) => t.clientId },
          { header: 'Description', value: (t) => t.description },
          { header: 'Roles', value: (t) => t.roles.map(roleName) },
          { header: 'Generated', value: (t) => t.generatedOn },
          { header: 'Expires', value: (t) => t.tokenExpiry ?? 'never' },
        ],
        clients,
      );
    });

  token
    .command('create')
    .description('create a token; its value is shown once')
    .requiredOption('-r, --role <role>', 'role name or id (repeatable)', collect)
    .option('-d, --description <text>', 'what the token is for')
    .option('--expiry <time>', 'RFC 3339 expiry time (default: never)')
    .addOption(outputOption())
    .action(async (flags: { role: string[]; description?: string; expiry?: string }, command: Command) => {
      const { client, format } = contextOf(command);
      const roles = await roleIds(client, flags.role);
      const created = (
        await client.post<Record<string, unknown>>('/v2/tokens', {
          roles,
          description: flags.description,
          tokenExpiry: flags.expiry,
        })
      ).body;
      printObject(
        format,
        [
          ['Client Id', created.clientId],
          ['Secret', created.secret],
          ['Token', created.token],
          ['Roles', created.roles],
        ],
        created,
      );
    });

  token
    .command('delete')
    .alias('revoke')
    .description('revoke a token')
    .argument('<clientId>', "the token's client id")
    .addOption(outputOption())
    .action(async (clientId: string, _flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      await client.delete(`/v2/tokens/${encodeURIComponent(clientId)}`);
      printDone(format, `token ${clientId} revoked`, { clientId, revoked: true });
    });

  return token;
}
