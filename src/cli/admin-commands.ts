import { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { OperatorActions } from '../ops/operator-actions.js';
import { CliError, ExitCode } from './exit-codes.js';
import { addServerOptions, serverFlags } from './server-options.js';
import { outputOption, printDone, type OutputFormat } from './output.js';

/** The store options of `orrery serve` that operator commands need to find the same store. */
const STORE_FLAGS = ['data-dir', 'database-url', 'secret-key'];

function withStoreOptions(command: Command): Command {
  return addServerOptions(command, (o) => STORE_FLAGS.includes(o.flag))
    .option('--org <orgId>', 'organization (default: the one created at first start)')
    .addOption(outputOption());
}

async function withOperator<T>(
  flags: Record<string, unknown>,
  run: (operator: OperatorActions) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env, serverFlags(flags));
  // Loaded here so that API commands do not pay for the server's modules.
  const [{ openServices }, logging, { UnknownOrganizationError }] = await Promise.all([
    import('../app.js'),
    import('pino'),
    import('../ops/operator-actions.js'),
  ]);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- pino is a plain function, typed as a namespace member
  const { services, close } = await openServices(config, logging.pino({ level: 'silent' }));
  try {
    return await run(services.operator);
  } catch (error) {
    if (error instanceof UnknownOrganizationError) throw new CliError(error.message, ExitCode.notFound);
    throw error;
  } finally {
    await close();
  }
}

type AdminFlags = Record<string, unknown> & { org?: string; output: OutputFormat };

/** Commands that work on the store directly, with the server's store settings; each is audited. */
export function adminCommands(): Command {
  const admin = new Command('admin').description(
    'operator commands on the store itself, for when the API cannot help (audited)',
  );

  withStoreOptions(
    admin.command('token').description('mint an Organization Administrator token, e.g. when every admin token is lost'),
  )
    .option('-d, --description <text>', 'token description', 'Operator recovery token')
    .action(async (flags: AdminFlags & { description: string }) => {
      const minted = await withOperator(flags, (operator) => operator.mintAdminToken(flags.org, flags.description));
      printDone(
        flags.output,
        `Organization Administrator token for ${minted.orgId} (shown once):\n\n  ${minted.token}\n`,
        minted,
      );
    });

  withStoreOptions(
    admin
      .command('reset-access-list')
      .description("empty an organization's DevOps API access list, reopening the API to every address"),
  ).action(async (flags: AdminFlags) => {
    const { orgId } = await withOperator(flags, (operator) => operator.resetAccessList(flags.org));
    printDone(flags.output, `the DevOps API access list of ${orgId} is empty and off`, { orgId, reset: true });
  });

  withStoreOptions(
    admin
      .command('rotate-keys')
      .description('replace the service-account JWT signing key; JWTs signed before stop working'),
  ).action(async (flags: AdminFlags) => {
    const { kid } = await withOperator(flags, (operator) => operator.rotateKeys());
    printDone(flags.output, `new signing key ${kid}`, { kid });
  });

  return admin;
}
