import { Type } from 'typebox';
import { unauthenticated } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import type { FailureLimiter } from '../security/failure-limiter.js';
import type { Authenticator } from './authenticator.js';
import { addressFailureKey } from './request-gate.js';
import type { SigningKeys } from './signing-keys.js';

const tags = ['Service accounts'];

export function registerServiceAccountRoutes(
  app: AppServer,
  authenticator: Authenticator,
  keys: SigningKeys,
  failures: { limiter: FailureLimiter; allowed: number },
): void {
  app.post(
    '/v2/authenticateServiceAccount',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Exchange a service account credential for a JWT',
        description:
          "clientId and clientSecret are an application token's client ID and secret; clientName must equal the token's description " +
          '(or its client ID when it has none). The JWT is a bearer credential with the same roles, valid for one hour or until the token is revoked.',
        body: Type.Object({
          clientName: Type.String({ minLength: 1, maxLength: 256 }),
          clientId: Type.String({ minLength: 1, maxLength: 256 }),
          clientSecret: Type.String({ minLength: 1, maxLength: 512 }),
        }),
        response: { 200: Type.Object({ token: Type.String() }) },
      },
    },
    async (request) => {
      const { clientName, clientId, clientSecret } = request.body;
      const principal = await authenticator.serviceAccount(clientName, clientId, clientSecret);
      if (!principal) {
        await failures.limiter.countFailure(addressFailureKey(request.ip), failures.allowed);
        throw unauthenticated('The service account credential is not valid.');
      }
      return { token: await keys.sign(principal.clientId, principal.orgId) };
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Public keys that verify service-account JWTs',
        'x-orrery-extension': true,
        response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
      },
    },
    async () => ({ keys: await keys.publicKeys() }),
  );
}
