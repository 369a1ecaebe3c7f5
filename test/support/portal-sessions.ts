import { expect } from 'vitest';
import { call, type TestServer } from './server.js';

export const PASSWORD = 'correct horse battery staple';

/** The session cookie's value (name=value) from a Set-Cookie answer. */
export function sessionCookie(response: { headers: Headers }): string {
  const set = response.headers.getSetCookie().find((c) => c.startsWith('orrery_session='));
  if (!set) throw new Error('no session cookie was set');
  return set.split(';')[0]!;
}

/**
 * Invites an address with roles into the organization of `adminToken`, accepts the link with a password as
 * the Portal does, and returns the user's id, session cookie, CSRF token and the used invitation code.
 */
export async function inviteAndAccept(server: TestServer, adminToken: string, email: string, roles: string[]) {
  const user = await call(server, 'PUT', '/v2/organizations/users', { token: adminToken, body: { email, roles } });
  expect(user.status).toBe(200);
  const invitation = await call(server, 'POST', '/auth/invitations', {
    token: adminToken,
    body: { userId: user.body.UserID },
  });
  expect(invitation.status).toBe(201);
  expect(invitation.body.emailed).toBe(false);
  const code = new URL(invitation.body.link).pathname.split('/').at(-1)!;
  const accepted = await call(server, 'POST', `/auth/invitations/${code}/accept`, { body: { password: PASSWORD } });
  expect(accepted.status).toBe(200);
  return {
    userId: user.body.UserID as string,
    cookie: sessionCookie(accepted),
    csrf: accepted.body.csrfToken as string,
    code,
  };
}
