import { Command } from 'commander';
import { collect, contextOf } from './context.js';
import { findRole, listRoles, type RoleView } from './iam-lookup.js';
import { outputOption, printDone, printObject, printRows } from './output.js';

function details(role: RoleView): [string, unknown][] {
  return [
    ['Id', role.ID],
    ['Name', role.Name],
    ['Description', role.Policy.description],
    ['Actions', role.Policy.actions],
    ['Resources', role.Policy.resources],
    ['Custom', role.OrgID !== undefined],
  ];
}

export function roleCommands(): Command {
  const role = new Command('role').description('built-in and custom roles');

  role
    .command('list')
    .description('list the roles')
    .addOption(outputOption())
    .action(async (_flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const roles = await listRoles(client);
      printRows(
        format,
        [
          { header: 'Id', value: (r) => r.ID },
          { header: 'Name', value: (r) => r.Name },
          { header: 'Description', value: (r) => r.Policy.description },
        ],
        roles,
      );
    });

  role
    .command('get')
    .alias('describe')
    .description('show a role')
    .argument('<role>', 'role name or id')
    .addOption(outputOption())
    .action(async (idOrName: string, _flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const found = findRole(await listRoles(client), idOrName);
      printObject(format, details(found), found);
    });

  role
    .command('create')
    .description('create a custom role')
    .argument('<name>', 'role name')
    .requiredOption('-a, --action <action>', 'permission it grants, e.g. org-db-view (repeatable)', collect)
    .option(
      '--resource <drn>',
      'resource it applies to (repeatable; default: the organization and all its databases)',
      collect,
    )
    .option('-d, --description <text>', 'description', '')
    .addOption(outputOption())
    .action(
      async (name: string, flags: { action: string[]; resource?: string[]; description: string }, command: Command) => {
        const { client, format } = contextOf(command);
        const org = await client.get<{ id: string }>('/v2/currentOrg');
        const resources = flags.resource ?? [
          `drn:astra:org:${org.id}`,
          `drn:astra:org:${org.id}:db:*`,
          `drn:astra:org:${org.id}:db:*:keyspace:*`,
          `drn:astra:org:${org.id}:db:*:keyspace:*:table:*`,
        ];
        const created = (
          await client.post<RoleView>('/v2/organizations/roles', {
            name,
            policy: { description: flags.description, effect: 'allow', actions: flags.action, resources },
          })
        ).body;
        printObject(format, details(created), created);
      },
    );

  role
    .command('delete')
    .description('delete a custom role that no token or user holds')
    .argument('<role>', 'role name or id')
    .addOption(outputOption())
    .action(async (idOrName: string, _flags: unknown, command: Command) => {
      const { client, format } = contextOf(command);
      const found = findRole(await listRoles(client), idOrName);
      await client.delete(`/v2/organizations/roles/${found.ID}`);
      printDone(format, `role ${found.Name} deleted`, { id: found.ID, deleted: true });
    });

  return role;
}
