import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { StartupError } from '../startup-error.js';
import { addServerOptions, serverFlags } from './server-options.js';

function writeBootstrapToken(config: Config, token: string): string {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(config.dataDir, 'bootstrap-token');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return file;
}

async function serve(flags: Record<string, unknown>): Promise<void> {
  const config = loadConfig(process.env, serverFlags(flags));
  // Loaded here so that the other commands start without the server's modules.
  const { buildApp } = await import('../app.js');
  const app = await buildApp(config);
  const { server, bootstrap } = app;

  if (bootstrap.created) {
    if (bootstrap.generatedToken) {
      const file = writeBootstrapToken(config, bootstrap.generatedToken);
      // Printed once, on the start that created it; it is never written to the log.
      process.stdout.write(
        `\nOrrery created organization ${bootstrap.orgId} and its administrator token:\n\n  ${bootstrap.generatedToken}\n\n` +
          `It is also in ${file} (mode 0600). It will not be shown again.\n\n`,
      );
    } else {
      process.stdout.write(
        `\nOrrery created organization ${bootstrap.orgId} with the administrator token from ORRERY_BOOTSTRAP_TOKEN.\n\n`,
      );
    }
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      server.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  let address: string;
  try {
    address = await server.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw listenError(error, config);
  }
  process.stdout.write(`Orrery is listening on ${address}\nThe Portal is at ${config.publicUrl ?? address}/\n`);
  if (config.tls === 'local-ca')
    process.stdout.write(
      `Clients trust its local certificate authority in ${path.join(config.dataDir, 'tls', 'ca.pem')}\n`,
    );
  server.log.info(
    { store: app.store.dialect, location: app.store.location, orgId: bootstrap.orgId },
    'orrery is ready',
  );
}

/** A failure to listen, named for the operator; anything unexpected passes through. */
function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE')
    return new StartupError(
      `port ${config.port} on ${config.host} is already in use; stop what listens there or choose another port (ORRERY_PORT, --port)`,
    );
  if (code === 'EACCES')
    return new StartupError(`not permitted to listen on ${where}; ports below 1024 need privileges`);
  if (code === 'EADDRNOTAVAIL')
    return new StartupError(
      `cannot listen on ${where}: the address is not one of this machine's (ORRERY_HOST, --host)`,
    );
  return error;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('run the Orrery server')
    .addHelpText(
      'after',
      '\nEach option is also an environment variable (shown in brackets); a flag wins over its variable.',
    );
  return addServerOptions(command).action((flags: Record<string, unknown>) => serve(flags));
}
