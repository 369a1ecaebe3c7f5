import { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import { collect, contextOf } from './context.js';
import { CliError, ExitCode } from './exit-codes.js';
import { roleIds } from './iam-lookup.js';
import { outputOption, printDone, printRows } from './output.js';

interface UserView {
  UserID: string;
  Email: string;
  Status: string;
  Roles: { ID: string; Name: string }[];
}

async function listUsers(client: ApiClient) {
  return client.get<{ OrgID: string; OrgName: string; Users: UserView[] }>('/v2/organizations/users');
}

export function userCommands(): Command {
  const user = new Command('user').description("the organization's users");

  user
    .command('list')
    .description('list the users')
    .addOption(outputOption())
    .action(async (_flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const { Users } = await listUsers(client);
      printRows(
        format,
        [
          { header: 'User Id', value: (u) => u.UserID },
          { header: 'Email', value: (u) => u.Email },
          { header: 'Status', value: (u) => u.Status },
          { header: 'Roles', value: (u) => u.Roles.map((r) => r.Name) },
        ],
        Users,
      );
    });

  user
    .command('invite')
    .description('invite a user by e-mail')
    .argument('<email>', 'e-mail address')
    .requiredOption('-r, --role <role>', 'role name or id (repeatable)', collect)
    .addOption(outputOption())
    .action(async (email: string, flags: { role: string[] }, command: Command) => {
      const { client, format } = contextOf(command);
      const roles = await roleIds(client, flags.role);
      const org = await client.get<{ id: string }>('/v2/currentOrg');
      await client.request('PUT', '/v2/organizations/users', { email, roles, orgID: org.id });
      printDone(format, `${email} invited`, { email, invited: true });
    });

  user
    .command('delete')
    .description('remove a user from the organization')
    .argument('<user>', 'user id or e-mail')
    .addOption(outputOption())
    .action(async (idOrEmail: string, _flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const found = (await listUsers(client)).Users.find(
        (u) => u.UserID === idOrEmail || u.Email.toLowerCase() === idOrEmail.toLowerCase(),
      );
      if (!found) throw new CliError(`no user "${idOrEmail}"`, ExitCode.notFound);
      await client.delete(`/v2/organizations/users/${found.UserID}`);
      printDone(format, `${found.Email} removed`, { id: found.UserID, deleted: true });
    });

  return user;
}
