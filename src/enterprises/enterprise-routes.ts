import { Type } from 'typebox';
import { actorOf } from '../http/actor.js';
import { principalOf } from '../http/auth.js';
import { ENTERPRISE_ROLES } from '../iam/builtin-roles.js';
import { notFound } from '../kernel/errors.js';
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

  app.get(
    '/v2/enterprises/organizations',
    {
      config: { permission: { action: 'enterprise-token-read' } },
      schema: {
        tags: ['Enterprises'],
        'x-orrery-extension': true,
        summary:
          "The caller's enterprise, its organizations and the enterprise roles its tokens may hold; 404 when the organization belongs to none",
        response: {
          200: Type.Object({
            EnterpriseID: Type.String(),
            EnterpriseName: Type.String(),
            PrimaryOrganizationID: Type.String(),
            Organizations: Type.Array(
              Type.Object({ OrganizationID: Type.String(), OrganizationName: Type.String(), CreatedAt: Type.String() }),
            ),
            Roles: Type.Array(Type.Object({ ID: Type.String(), Name: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      const enterprise = await enterprises.describe(principalOf(request));
      if (!enterprise) throw notFound('This organization does not belong to an enterprise.');
      return {
        EnterpriseID: enterprise.id,
        EnterpriseName: enterprise.name,
        PrimaryOrganizationID: enterprise.primaryOrgId,
        Organizations: enterprise.organizations.map((o) => ({
          OrganizationID: o.id,
          OrganizationName: o.name,
          CreatedAt: o.createdAt,
        })),
        Roles: ENTERPRISE_ROLES.map((r) => ({ ID: r.id, Name: r.name })),
      };
    },
  );
}
