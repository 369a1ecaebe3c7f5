import { Command } from 'commander';
import { ApiClient } from './api-client.js';
import { CliError, ExitCode } from './exit-codes.js';
import { outputOption, printDone, printRows, type OutputFormat } from './output.js';
import { configFilePath, DEFAULT_URL, readProfiles, writeProfiles } from './profiles.js';

/** `orrery setup` stores a named profile (URL + token) after checking it against the server. */
export function setupCommand(): Command {
  return new Command('setup')
    .description('store a profile in the config file (mode 0600), checking the token against the server first')
    .addHelpText(
      'after',
      `\nTakes the global --profile (default "default"), --url (default ${DEFAULT_URL}) and --token (required).`,
    )
    .option('--no-check', 'store without checking the token against the server')
    .addOption(outputOption())
    .action(async (_flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<{
        profile?: string;
        url?: string;
        token?: string;
        check: boolean;
        output: OutputFormat;
      }>();
      if (!flags.token) throw new CliError('setup needs --token <token>', ExitCode.usage);
      const profile = flags.profile ?? 'default';
      const url = (flags.url ?? DEFAULT_URL).replace(/\/+$/, '');
      let orgName = '';
      if (flags.check) orgName = (await new ApiClient(url, flags.token).get<{ name: string }>('/v2/currentOrg')).name;
      const file = configFilePath();
      const content = readProfiles(file);
      content.profiles[profile] = { url, token: flags.token };
      content.default ??= profile;
      writeProfiles(file, content);
      printDone(flags.output, `profile ${profile} saved in ${file}${orgName ? ` (organization ${orgName})` : ''}`, {
        profile,
        url,
        file,
      });
    });
}

/** `orrery config list|use|delete` manage the stored profiles. */
export function configCommands(): Command {
  const config = new Command('config').description('the stored profiles');

  config
    .command('list')
    .description('list the profiles (tokens are not shown)')
    .addOption(outputOption())
    .action((flags: { output: OutputFormat }) => {
      const content = readProfiles(configFilePath());
      const rows = Object.entries(content.profiles).map(([name, p]) => ({
        name,
        url: p.url,
        default: name === content.default,
      }));
      printRows(
        flags.output,
        [
          { header: 'Profile', value: (r) => r.name },
          { header: 'URL', value: (r) => r.url },
          { header: 'Default', value: (r) => (r.default ? 'yes' : '') },
        ],
        rows,
      );
    });

  config
    .command('use')
    .description('make a profile the default')
    .argument('<name>', 'profile name')
    .action((name: string) => {
      const file = configFilePath();
      const content = readProfiles(file);
      if (!content.profiles[name]) throw new CliError(`no profile named "${name}"`, ExitCode.notFound);
      writeProfiles(file, { ...content, default: name });
      process.stdout.write(`profile ${name} is the default\n`);
    });

  config
    .command('delete')
    .description('delete a profile')
    .argument('<name>', 'profile name')
    .action((name: string) => {
      const file = configFilePath();
      const content = readProfiles(file);
      if (!content.profiles[name]) throw new CliError(`no profile named "${name}"`, ExitCode.notFound);
      delete content.profiles[name];
      if (content.default === name) delete content.default;
      writeProfiles(file, content);
      process.stdout.write(`profile ${name} deleted\n`);
    });

  return config;
}
