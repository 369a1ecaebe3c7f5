import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { DEFAULTS } from '../../src/config.js';

/** Writes Orrery's OpenAPI document to the given file without listening, from a throwaway embedded store. */
const target = process.argv[2] ?? 'portal/openapi.json';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-openapi-'));
const app = await buildApp({ ...DEFAULTS, dataDir, logLevel: 'warn', secretKey: Buffer.alloc(32, 1) });
try {
  writeFileSync(target, JSON.stringify(app.server.swagger(), null, 2) + '\n');
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
