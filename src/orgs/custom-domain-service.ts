import { badRequest } from '../kernel/errors.js';
import { orgDrn } from '../kernel/policy.js';
import type { Actor } from '../kernel/principal.js';
import type { Settings } from '../settings/settings.js';

const KIND = 'custom-domains';
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MAX_DOMAINS = 50;

/**
 * The organization's own domains for database endpoints. Orrery keeps the list and offers bundles
 * for each domain; pointing the names at Orrery (DNS, certificates) is the operator's part.
 */
export class CustomDomainService {
  constructor(private readonly settings: Settings) {}

  async list(orgId: string): Promise<string[]> {
    return (await this.settings.get<string[]>(orgId, KIND))?.value ?? [];
  }

  /** Replaces the whole list: what is sent is what the organization has. */
  async replace(actor: Actor, domains: string[]): Promise<string[]> {
    if (domains.length > MAX_DOMAINS) throw badRequest(`An organization has at most ${MAX_DOMAINS} custom domains.`);
    const normalized = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/\.$/, '')))];
    const bad = normalized.find((d) => !DOMAIN.test(d));
    if (bad !== undefined) throw badRequest(`"${bad}" is not a domain name.`);
    const orgId = actor.principal.orgId;
    await this.settings.put(actor, orgId, KIND, normalized, {
      action: 'CUSTOM_DNS_UPDATED',
      resource: orgDrn(orgId),
      details: { domains: normalized },
    });
    return normalized;
  }
}
