import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorIds } from '../../src/kernel/errors.js';
import { startServer } from '../support/server.js';

function readUntil(socket: Socket, pattern: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${text}`)), 10_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
}

describe('draining at shutdown', () => {
  it('answers a request that arrives while the server closes with a 503 in the error model', async () => {
    const server = await startServer();
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // A request whose body has not all arrived keeps the connection busy, so closing waits for it.
    const token = server.adminToken;
    socket.write(
      `POST /v2/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"roles":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The rest of the first body, then a second request on the same connection, which arrives during the drain.
    socket.write(`[] }\r\nGET /v2/currentOrg HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    const text = await readUntil(socket, /HTTP\/1\.1 503[\s\S]*\r\n\r\n\{.*\}/);
    const body = JSON.parse(text.slice(text.lastIndexOf('\r\n\r\n') + 4)) as { errors: { ID: number }[] };
    expect(body.errors[0]!.ID).toBe(ErrorIds.unavailable);
    socket.destroy();
    await closed;
  });
});
