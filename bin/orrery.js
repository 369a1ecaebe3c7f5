#!/usr/bin/env node
// The `orrery` command. It runs the compiled JavaScript in dist/, building it first when it is
// missing or older than its sources, so `npm ci && npx orrery serve` works on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What `npm run build` compiles from; a newer file here means the build is stale. */
const BUILD_INPUTS = ['src', 'portal', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const BUILD_STAMP = path.join(root, 'dist', '.build-stamp');

function newestChange(entry) {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  return newest;
}

function isStale() {
  const built = statSync(BUILD_STAMP, { throwIfNoEntry: false });
  if (!built) return true;
  // An installed copy ships dist/ without its sources: nothing to compare, nothing to rebuild.
  if (!existsSync(path.join(root, 'src'))) return false;
  return BUILD_INPUTS.some((input) => newestChange(path.join(root, input)) > built.mtimeMs);
}

if (process.env.ORRERY_SKIP_BUILD_CHECK !== '1' && isStale()) {
  process.stderr.write('orrery: building (npm run build)...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('orrery: the build failed\n');
    process.exit(1);
  }
}

// Node 22.1 and later keep compiled code between runs, which shortens start-up; older versions skip it.
module.enableCompileCache?.();
await import(pathToFileURL(path.join(root, 'dist', 'cli.js')).href);
