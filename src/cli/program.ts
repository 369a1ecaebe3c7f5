import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { StartupError } from '../startup-error.js';
import { adminCommands } from './admin-commands.js';
import { dbCommands } from './db-commands.js';
import { CliError, ExitCode } from './exit-codes.js';
import { journalCommand } from './journal-command.js';
import { auditCommand, orgCommand } from './org-commands.js';
import { roleCommands } from './role-commands.js';
import { serveCommand } from './serve-command.js';
import { configCommands, setupCommand } from './setup-commands.js';
import { tokenCommands } from './token-commands.js';
import { userCommands } from './user-commands.js';

export function buildProgram(): Command {
  const program = new Command('orrery')
    .description('Orrery, a self-hosted Astra: run the server, or drive one from the command line')
    .option('-p, --profile <name>', 'profile from the config file [ORRERY_PROFILE]')
    .option('--url <url>', "Orrery's URL, overriding the profile's [ORRERY_URL]")
    .option('--token <token>', "token, overriding the profile's [ORRERY_TOKEN]")
    .showHelpAfterError()
    .exitOverride();
  for (const command of [
    serveCommand(),
    setupCommand(),
    configCommands(),
    dbCommands(),
    tokenCommands(),
    roleCommands(),
    userCommands(),
    orgCommand(),
    auditCommand(),
    journalCommand(),
    adminCommands(),
  ]) {
    program.addCommand(command);
  }
  // Every subcommand reports usage errors through the same exit path as the program.
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the command line and exits with a code scripts can rely on (see ExitCode). */
export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes with 2.
      process.exit(error.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
    }
    if (error instanceof CliError) {
      process.stderr.write(`orrery: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`orrery: ${error.message}\n`);
      process.exit(ExitCode.usage);
    }
    if (error instanceof StartupError) {
      process.stderr.write(`orrery: cannot start: ${error.message}\n`);
      process.exit(ExitCode.failed);
    }
    process.stderr.write(`orrery: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(ExitCode.failed);
  }
}
