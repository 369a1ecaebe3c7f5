import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { badRequest, forbidden } from '../kernel/errors.js';
import { addAdministratorUser, createOrganization, findUserIn } from '../iam/organization-setup.js';
import { normalizeEmail } from '../iam/email.js';
import { orgDrn } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
import type { TokenIssuer } from '../iam/token-issuer.js';
import type { Database } from '../store/schema.js';
import { EnterpriseStore } from './enterprise-store.js';

export interface NewOrganization {
  name: string;
  email: string;
  adminUserId: string;
  enterpriseId?: string;
}

export interface CreatedOrganization {
  orgId: string;
  enterpriseId: string;
  name: string;
  email: string;
  createdAt: string;
}

export interface EnterpriseServiceDeps {
  db: Kysely<Database>;
  issuer: TokenIssuer;
  audit: AuditLog;
  clock: Clock;
}

/** The enterprise a caller's organization belongs to, with its organizations. */
export interface EnterpriseView {
  id: string;
  name: string;
  primaryOrgId: string;
  organizations: { id: string; name: string; createdAt: string }[];
}

/** Enterprises own organizations; an enterprise token adds new ones. */
export class EnterpriseService {
  constructor(private readonly deps: EnterpriseServiceDeps) {}

  /**
   * Creates an organization in the caller's enterprise. `adminUserId` must be a user of one of the
   * enterprise's organizations; that person becomes the new organization's administrator.
   */
  async createOrganization(actor: Actor, input: NewOrganization): Promise<CreatedOrganization> {
    const enterpriseId = actor.principal.enterpriseId;
    if (!enterpriseId) throw forbidden('Only an enterprise token can add organizations to an enterprise.');
    if (input.enterpriseId !== undefined && input.enterpriseId !== enterpriseId)
      throw forbidden('Organizations can only be added to the enterprise of the calling token.');
    const name = input.name.trim();
    if (!name || name.length > 100) throw badRequest('name must be 1 to 100 characters.');
    const email = normalizeEmail(input.email);
    if (!email) throw badRequest(`"${input.email}" is not a valid e-mail address.`);

    return this.deps.db.transaction().execute(async (trx) => {
      const enterprises = new EnterpriseStore(trx);
      const admin = await findUserIn(trx, await enterprises.memberIds(enterpriseId), input.adminUserId);
      if (!admin)
        throw badRequest(`adminUserID ${input.adminUserId} is not a user of any organization in this enterprise.`);
      const { orgId } = await createOrganization(trx, this.deps.issuer, this.deps.clock, name, undefined, email);
      await enterprises.addMember(enterpriseId, orgId);
      await addAdministratorUser(trx, this.deps.clock, orgId, admin.email);
      const now = this.deps.clock.now().toISOString();
      await this.deps.audit.record(trx, actor, {
        action: 'CREATE_ORGANIZATION',
        resource: orgDrn(orgId),
        details: { name, enterpriseId, adminUserId: input.adminUserId },
      });
      return { orgId, enterpriseId, name, email, createdAt: now };
    });
  }

  /** The caller's enterprise (an enterprise token's own, or that of the caller's organization), if any. */
  async describe(principal: Principal): Promise<EnterpriseView | undefined> {
    const enterprises = new EnterpriseStore(this.deps.db);
    const enterpriseId = principal.enterpriseId ?? (await enterprises.enterpriseOf(principal.orgId));
    const enterprise = enterpriseId ? await enterprises.find(enterpriseId) : undefined;
    if (!enterprise) return undefined;
    return {
      id: enterprise.id,
      name: enterprise.name,
      primaryOrgId: enterprise.primaryOrgId,
      organizations: await enterprises.members(enterprise.id),
    };
  }
}
