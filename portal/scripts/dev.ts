import { spawn } from 'node:child_process';
import { createServer } from 'vite';

/**
 * `npm run dev`: Orrery on its usual address, and Vite's development server (hot reload) for the
 * Portal, which proxies every API path to that Orrery. Options reach Orrery through its environment.
 */
const orrery = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
  stdio: 'inherit',
  env: process.env,
});
const vite = await createServer({ configFile: 'portal/vite.config.ts' });
await vite.listen();
vite.printUrls();

const stop = () => {
  orrery.kill('SIGTERM');
  void vite.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
orrery.on('exit', (code) => {
  void vite.close().then(() => process.exit(code ?? 0));
});
