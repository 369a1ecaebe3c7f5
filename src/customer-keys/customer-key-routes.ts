import { Type } from 'typebox';
import { parseProvider } from '../databases/regions.js';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import { badRequest } from '../kernel/errors.js';
import type { AppServer } from '../http/server.js';
import type { CustomerKeyService } from './customer-key-service.js';

const Key = Type.Object({ keyID: Type.String({ maxLength: 512 }), region: Type.String({ maxLength: 64 }) });
const Params = Type.Object({ provider: Type.String({ maxLength: 20 }), region: Type.String({ maxLength: 64 }) });
const tags = ['Customer keys'];

function provider(value: string) {
  const parsed = parseProvider(value);
  if (parsed !== 'AWS' && parsed !== 'GCP') throw badRequest(`provider "${value}" is not aws or gcp.`);
  return parsed;
}

export function registerCustomerKeyRoutes(app: AppServer, keys: CustomerKeyService): void {
  app.post(
    '/v2/kms',
    {
      config: { permission: { action: 'org-cmk-write' } },
      schema: {
        tags,
        summary: 'Register a customer-managed key for a provider and region',
        description: 'Orrery records the key; it encrypts nothing with a cloud KMS.',
        body: Type.Object({
          orgId: Type.Optional(Type.String({ maxLength: 64 })),
          aws: Type.Optional(Key),
          gcp: Type.Optional(Key),
        }),
      },
    },
    async (request, reply) => {
      await keys.register(actorOf(request), request.body);
      return reply.code(200).send();
    },
  );
  app.get(
    '/v2/kms',
    {
      config: { permission: { action: 'org-cmk-read' } },
      schema: {
        tags,
        summary: "The organization's customer keys",
        response: {
          200: Type.Array(
            Type.Object({
              OrganizationID: Type.String(),
              CloudProvider: Type.String(),
              KeyID: Type.String(),
              Region: Type.String(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      return (await keys.list(orgId)).map((k) => ({
        OrganizationID: orgId,
        CloudProvider: k.provider.toLowerCase(),
        KeyID: k.keyID,
        Region: k.region,
      }));
    },
  );
  app.get(
    '/v2/kms/provider/:provider/region/:region',
    {
      config: { permission: { action: 'org-cmk-read' } },
      schema: { tags, summary: 'The customer key of one provider and region', params: Params },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const key = await keys.find(orgId, provider(request.params.provider), request.params.region);
      return { orgId, [key.provider.toLowerCase()]: { keyID: key.keyID, region: key.region } };
    },
  );
  app.get(
    '/v2/kms/provider/:provider/region/:region/accounts',
    {
      config: { permission: { action: 'org-cmk-read' } },
      schema: {
        tags,
        summary: 'The cloud account that would be granted use of the key',
        params: Params,
        response: {
          200: Type.Array(
            Type.Object({ organization_id: Type.String(), provider_id: Type.String(), provider: Type.String() }),
          ),
        },
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const cloud = provider(request.params.provider);
      return [
        {
          organization_id: orgId,
          provider_id: keys.account(orgId, cloud, request.params.region.toLowerCase()),
          provider: cloud.toLowerCase(),
        },
      ];
    },
  );
}
