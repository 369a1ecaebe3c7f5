import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../iam/builtin-roles.js';
import { orgDrn } from '../kernel/policy.js';
import type { Actor } from '../kernel/principal.js';
import type { SigningKeys } from '../iam/signing-keys.js';
import type { TokenIssuer } from '../iam/token-issuer.js';
import type { DevopsAclService } from '../orgs/devops-acl-service.js';
import { findOrganization } from '../orgs/organization-port.js';
import type { Database } from '../store/schema.js';

/** How operator actions appear in the audit log: no token acted, someone with the store did. */
export const OPERATOR_ACTOR = 'operator';

export class UnknownOrganizationError extends Error {}

export interface OperatorActionsDeps {
  db: Kysely<Database>;
  issuer: TokenIssuer;
  devopsAcl: DevopsAclService;
  signingKeys: SigningKeys;
  audit: AuditLog;
  clock: Clock;
}

/**
 * Recovery actions for whoever runs the store, for when the API cannot help (every admin token
 * lost, an access list that shuts everyone out). Each is audited in the organization it touches.
 */
export class OperatorActions {
  constructor(private readonly deps: OperatorActionsDeps) {}

  /** Mints an Organization Administrator token; the token is returned once and kept only as a hash. */
  async mintAdminToken(
    orgId?: string,
    description = 'Operator recovery token',
  ): Promise<{ orgId: string; clientId: string; token: string }> {
    const actor = await this.#actor(orgId);
    return this.deps.db.transaction().execute(async (trx) => {
      const issued = await this.deps.issuer.issue(trx, {
        orgId: actor.principal.orgId,
        roleIds: [ORGANIZATION_ADMINISTRATOR_ID],
        description,
      });
      await this.deps.audit.record(trx, actor, {
        action: 'GENERATE_TOKEN',
        resource: orgDrn(actor.principal.orgId),
        details: { clientId: issued.record.clientId, roles: [ORGANIZATION_ADMINISTRATOR_ID] },
      });
      return { orgId: actor.principal.orgId, clientId: issued.record.clientId, token: issued.token };
    });
  }

  /** Empties the organization's DevOps API access list, which turns the check off. */
  async resetAccessList(orgId?: string): Promise<{ orgId: string }> {
    const actor = await this.#actor(orgId);
    await this.deps.devopsAcl.replace(actor, actor.principal.orgId, [], { allowSelfLockout: true });
    return { orgId: actor.principal.orgId };
  }

  /** Replaces the service-account signing key; JWTs signed with the old one stop verifying. */
  async rotateKeys(): Promise<{ kid: string }> {
    const actor = await this.#actor(undefined);
    const { kid } = await this.deps.signingKeys.rotate();
    await this.deps.audit.record(this.deps.db, actor, {
      action: 'ROTATE_SIGNING_KEYS',
      resource: orgDrn(actor.principal.orgId),
      details: { kid },
    });
    return { kid };
  }

  async #actor(orgId: string | undefined): Promise<Actor> {
    const id = orgId ?? (await this.deps.db.selectFrom('installation').select('org_id').executeTakeFirst())?.org_id;
    if (!id || !(await findOrganization(this.deps.db, id)))
      throw new UnknownOrganizationError(`no organization ${orgId ?? '(the store has not been initialized)'}`);
    return {
      principal: { kind: 'token', clientId: OPERATOR_ACTOR, orgId: id, roleIds: [], policies: [] },
      address: 'local',
    };
  }
}
