import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { PORTAL_DIR } from '../../src/portal/portal-routes.js';

// `npm start` on a fresh clone serves the Portal: build it once when its build is missing.
if (!existsSync(`${PORTAL_DIR}/index.html`)) {
  process.stdout.write('The Portal is not built yet; building it (npm run build:portal)…\n');
  execFileSync('npm', ['run', 'build:portal'], { stdio: 'inherit' });
}
