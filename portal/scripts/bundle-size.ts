import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PORTAL_DIR } from '../../src/portal/portal-routes.js';

/** The most the first page load may download (JavaScript and CSS, gzipped). */
export const INITIAL_LIMIT_BYTES = 300 * 1024;

/** The JS and CSS files index.html loads up front (entry script, its preloaded chunks, stylesheets), with gzipped sizes. */
export function initialAssets(dir = PORTAL_DIR): { file: string; gzipBytes: number }[] {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return [...new Set(files)].map((file) => ({
    file,
    gzipBytes: gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const assets = initialAssets();
  const total = assets.reduce((sum, a) => sum + a.gzipBytes, 0);
  for (const a of assets) process.stdout.write(`  ${a.file}  ${(a.gzipBytes / 1024).toFixed(1)} KB gzipped\n`);
  process.stdout.write(
    `Portal initial JS + CSS: ${(total / 1024).toFixed(1)} KB gzipped (limit ${INITIAL_LIMIT_BYTES / 1024} KB)\n`,
  );
  if (total > INITIAL_LIMIT_BYTES) {
    process.stderr.write("The Portal's initial download is over its limit.\n");
    process.exit(1);
  }
}
