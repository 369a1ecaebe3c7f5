import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { createDatabase } from '../data-api/support.js';

const run = promisify(execFile);

/** The shell block under "With curl" in docs/data-api.md: its set-up lines and its `post` commands. */
function documentedCommands(): { setup: string; commands: string[] } {
  const doc = readFileSync('docs/data-api.md', 'utf8');
  const section = doc.slice(doc.indexOf('## With curl'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/data-api.md has no shell block under "With curl"');
  const lines = block.split('\n').filter((line) => line.trim() !== '');
  return {
    setup: lines.filter((line) => !line.startsWith('post ')).join('\n'),
    commands: lines.filter((line) => line.startsWith('post ')),
  };
}

/** The answer each documented command must give, in order, written by hand. */
const EXPECTED: ((body: any) => void)[] = [
  (body) => expect(body).toEqual({ status: { keyspaces: ['default_keyspace'] } }),
  (body) => expect(body).toEqual({ status: { ok: 1 } }),
  (body) =>
    expect(body).toEqual({
      status: {
        collections: [
          {
            name: 'movies',
            options: {
              vector: { dimension: 3, metric: 'cosine', sourceModel: 'other' },
              lexical: { enabled: false },
              rerank: { enabled: false },
            },
          },
        ],
      },
    }),
  (body) => expect(body).toEqual({ status: { insertedIds: ['m1', 'm2'] } }),
  (body) => expect(body).toEqual({ data: { documents: [{ _id: 'm2', title: 'Heat' }], nextPageState: null } }),
  (body) => {
    expect(body.data.documents).toHaveLength(1);
    const [found] = body.data.documents;
    expect({ ...found, $similarity: undefined }).toEqual({ _id: 'm1', title: 'Alien', year: 1979 });
    // cos([0.1, 0.9, 0.2], [0.1, 0.8, 0.2]) = 0.77 / sqrt(0.86 * 0.69) = 0.99957, reported as (1 + cos) / 2.
    expect(found.$similarity).toBeCloseTo(0.99979, 4);
  },
  (body) => expect(body).toEqual({ status: { matchedCount: 1, modifiedCount: 1 } }),
  (body) => expect(body).toEqual({ status: { count: 1 } }),
  (body) => expect(body).toEqual({ status: { deletedCount: 1 } }),
  (body) => expect(body).toEqual({ status: { ok: 1 } }),
];

describe("docs/data-api.md's curl commands, run by curl against the path form", () => {
  let server: TestServer;
  let databaseId: string;
  beforeAll(async () => {
    server = await startServer();
    databaseId = (await createDatabase(server)).id;
  });
  afterAll(() => server.close());

  it('gives the answer each command is documented for, in order', async () => {
    const { setup, commands } = documentedCommands();
    expect(commands).toHaveLength(EXPECTED.length);
    const script = (line: string) => `${setup.replaceAll('http://127.0.0.1:8080', server.url)}\n${line}`;
    for (const [i, line] of commands.entries()) {
      const { stdout } = await run('bash', ['-c', script(line)], {
        env: { ...process.env, TOKEN: server.adminToken, DB: `${databaseId}-us-east1` },
      });
      const check = EXPECTED[i]!;
      try {
        check(JSON.parse(stdout));
      } catch (error) {
        throw new Error(`${line}\nanswered ${stdout}`, { cause: error });
      }
    }
  });
});
