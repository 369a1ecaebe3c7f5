import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle, startServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);

/** The shell and TypeScript blocks of the README's quick start that follow its "Store and find a document". */
function quickStart(): { shell: string; app: string } {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('Store and find a document'));
  const shell = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  const app = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!shell || !app) throw new Error('the README has no quick start blocks after "Store and find a document"');
  return { shell, app };
}

/** Runs an ES module given as text from the project's root, so that it imports the installed astra-db-ts; its stdout. */
function runModule(source: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module'], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
    child.stdin.end(source);
  });
}

describe("the README's quick start: an app stores and finds a document with astra-db-ts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('runs as written, against a database the shell lines create', async () => {
    const { shell, app } = quickStart();
    const local = (text: string) => text.replaceAll('http://127.0.0.1:8080', server.url);
    const { stdout } = await run('bash', ['-c', `${local(shell)}\necho "$DB"`], {
      env: { ...process.env, TOKEN: server.adminToken },
    });
    const databaseId = stdout.trim();
    expect(databaseId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await settle(server, server.adminToken, databaseId, 'ACTIVE');

    const printed = await runModule(local(app), { TOKEN: server.adminToken, DB: databaseId });
    // console.log breaks a long object over lines; the README shows it on one.
    expect(printed.replace(/\s+/g, ' ').trim()).toMatch(/^\{ _id: '[0-9a-f-]{36}', title: 'Alien', year: 1979 \}$/);
  });
});
