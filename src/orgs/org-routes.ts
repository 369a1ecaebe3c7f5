import { Type } from 'typebox';
import type { AppServer } from '../http/server.js';
import { principalOf } from '../http/auth.js';
import { notFound } from '../kernel/errors.js';
import type { Organization } from './organization.js';

const Organization = Type.Object(
  { id: Type.String({ format: 'uuid' }), name: Type.String() },
  { additionalProperties: false },
);

export function registerOrgRoutes(app: AppServer, findOrg: (orgId: string) => Promise<Organization | undefined>): void {
  app.get(
    '/v2/currentOrg',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['Organizations'],
        summary: "The organization of the caller's token",
        response: { 200: Organization },
      },
    },
    async (request) => {
      const org = await findOrg(principalOf(request).orgId);
      if (!org) throw notFound('The organization no longer exists.');
      return { id: org.id, name: org.name };
    },
  );
}
