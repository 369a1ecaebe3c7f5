import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import type { AppServer } from '../http/server.js';
import type { CustomDomainService } from './custom-domain-service.js';

const Domains = Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 });
const tags = ['Organization'];

export function registerCustomDomainRoutes(app: AppServer, domains: CustomDomainService): void {
  app.get(
    '/v2/organizations/customDomains',
    {
      config: { permission: { action: 'org-read' } },
      schema: { tags, summary: "The organization's custom domains", response: { 200: Domains } },
    },
    async (request) => domains.list(principalOf(request).orgId),
  );
  app.post(
    '/v2/organizations/customDomains',
    {
      config: { permission: { action: 'org-write' } },
      schema: { tags, summary: 'Replace the list of custom domains', body: Domains, response: { 200: Domains } },
    },
    async (request) => domains.replace(actorOf(request), request.body),
  );
}
