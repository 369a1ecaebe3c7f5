import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError, OPTIONS, loadConfig, type Config } from './config.js';

function usage(): string {
  const lines = OPTIONS.map((o) => `  --${o.flag.padEnd(16)} ${o.env.padEnd(24)} ${o.help}`);
  return ['Usage: orrery serve [options]', '', 'Options (each also an environment variable):', ...lines].join('\n');
}

function writeBootstrapToken(config: Config, token: string): string {
  mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'bootstrap-token');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return file;
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries([...OPTIONS.map((o) => [o.flag, { type: 'string' as const }]), ['help', { type: 'boolean' as const }]]),
    strict: true,
  });
  if ((values as Record<string, unknown>).help) {
    console.log(usage());
    return;
  }
  const config = loadConfig(process.env, values as Record<string, string | undefined>);
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
      process.stdout.write(`\nOrrery created organization ${bootstrap.orgId} with the administrator token from ORRERY_BOOTSTRAP_TOKEN.\n\n`);
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

  const address = await server.listen({ host: config.host, port: config.port });
  process.stdout.write(`Orrery is listening on ${address}\nThe Portal is at ${config.publicUrl ?? address}/\n`);
  server.log.info({ store: app.store.dialect, location: app.store.location, orgId: bootstrap.orgId }, 'orrery is ready');
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'serve') {
    console.error(usage());
    process.exit(command === undefined || command === '--help' ? 0 : 2);
  }
  try {
    await serve(rest);
  } catch (error) {
    if (error instanceof ConfigError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`orrery: ${(error as Error).message}`);
      process.exit(2);
    }
    console.error('orrery: failed to start:', error);
    process.exit(1);
  }
}

await main();
