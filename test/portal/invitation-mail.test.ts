import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, type TestServer } from '../support/server.js';

const RO_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';

interface Mail {
  to: string[];
  text: string;
}

/** A mail server on 127.0.0.1 that keeps every message it is handed. */
async function startMailServer(): Promise<{ url: string; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          text: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The one-time link in a mail's text (quoted-printable may fold long lines with "=" at their end). */
function linkIn(mail: Mail): string {
  const unfolded = mail.text.replace(/=\r?\n/g, '');
  const match = /http:\/\/[^\s]+\/invitations\/[A-Za-z0-9_-]+/.exec(unfolded);
  if (!match) throw new Error(`no invitation link in: ${mail.text}`);
  return match[0];
}

describe('invitation e-mails', () => {
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let server: TestServer;

  beforeAll(async () => {
    mail = await startMailServer();
    server = await startServer({ smtpUrl: mail.url });
  });
  afterAll(async () => {
    await server?.close();
    await mail?.close();
  });

  it('e-mails the one-time link of an invitation made with PUT /v2/organizations/users', async () => {
    const invited = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'ada@example.com', roles: [RO_USER] },
    });
    expect(invited.status).toBe(200);
    expect(mail.mails.map((m) => m.to)).toEqual([['ada@example.com']]);

    const link = linkIn(mail.mails[0]!);
    expect(link.startsWith(`${server.url}/invitations/`)).toBe(true);
    const code = link.split('/').at(-1)!;
    expect((await call(server, 'GET', `/auth/invitations/${code}`)).body).toEqual({ email: 'ada@example.com' });
    const accepted = await call(server, 'POST', `/auth/invitations/${code}/accept`, {
      body: { password: 'a long enough password' },
    });
    expect(accepted.status).toBe(200);
    const user = await call(server, 'GET', `/v2/organizations/users/${invited.body.UserID}`, {
      token: server.adminToken,
    });
    expect(user.body.Status).toBe('active');
  });

  it('sends nothing for a user who is already active, and no older link works once one was accepted', async () => {
    const first = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'bo@example.com', roles: [RO_USER] },
    });
    const second = await call(server, 'POST', '/auth/invitations', {
      token: server.adminToken,
      body: { userId: first.body.UserID },
    });
    expect(second.body.emailed).toBe(true);
    const [mailed, made] = mail.mails.slice(-2).map(linkIn);
    expect(made).toBe(second.body.link);
    const accept = (link: string) =>
      call(server, 'POST', `/auth/invitations/${link.split('/').at(-1)}/accept`, {
        body: { password: 'a long enough password' },
      });
    expect((await accept(made!)).status).toBe(200);
    expect((await accept(mailed!)).status).toBe(404);

    const count = mail.mails.length;
    const again = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'bo@example.com', roles: [RO_USER] },
    });
    expect(again.body.Status).toBe('active');
    expect(mail.mails.length).toBe(count);
  });
});

describe('invitations without mail', () => {
  it('makes no link and sends nothing when ORRERY_SMTP_URL is unset', async () => {
    const server = await startServer();
    try {
      const invited = await call(server, 'PUT', '/v2/organizations/users', {
        token: server.adminToken,
        body: { email: 'cy@example.com', roles: [RO_USER] },
      });
      expect(invited.status).toBe(200);
      const made = await call(server, 'POST', '/auth/invitations', {
        token: server.adminToken,
        body: { userId: invited.body.UserID },
      });
      expect(made.body.emailed).toBe(false);
    } finally {
      await server.close();
    }
  });
});
