import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import type { AppServer } from '../http/server.js';
import type { EnterpriseService } from './enterprise-service.js';

export function registerEnterpriseRoutes(app: AppServer, enterprises: EnterpriseService): void {
  app.post(
    '/v2/enterprises/organizations',
    {
      config: { permission: { action: 'enterprise-org-write' } },
      schema: {
        tags: ['Enterprises'],
        summary: "Add an organization to the calling token's enterprise",
        body: Type.Object({
          name: Type.String({ maxLength: 100 }),
          email: Type.String({ maxLength: 254 }),
          adminUserID: Type.String({
            maxLength: 64,
            description: 'a user of one of the enterprise organizations; becomes the administrator',
          }),
          enterpriseID: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: {
          201: Type.Object({
            OrganizationName: Type.String(),
            OrganizationID: Type.String(),
            OrganizationEmail: Type.String(),
            MarketplaceData: Type.Null(),
            CreatedAt: Type.String(),
            LastModified: Type.String(),
            OrgType: Type.String(),
            EnterpriseId: Type.String(),
            OrganizationGroupId: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { name, email, adminUserID, enterpriseID } = request.body;
      const org = await enterprises.createOrganization(actorOf(request), {
        name,
        email,
        adminUserId: adminUserID,
        enterpriseId: enterpriseID,
      });
      return reply.code(201).send({
        OrganizationName: org.name,
        OrganizationID: org.orgId,
        OrganizationEmail: org.email,
        MarketplaceData: null,
        CreatedAt: org.createdAt,
        LastModified: org.createdAt,
        OrgType: 'enterprise',
        EnterpriseId: org.enterpriseId,
        OrganizationGroupId: '',
      });
    },
  );
}
