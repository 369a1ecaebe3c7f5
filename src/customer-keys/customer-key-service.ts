import { createHash } from 'node:crypto';
import { badRequest, notFound } from '../kernel/errors.js';
import { orgDrn } from '../kernel/policy.js';
import type { Actor } from '../kernel/principal.js';
import type { CloudProvider, RegionCatalogue } from '../databases/regions.js';
import type { Settings } from '../settings/settings.js';

const KIND = 'customer-key';
const KEY_IDS: Partial<Record<CloudProvider, RegExp>> = {
  AWS: /^arn:aws:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]{1,256}$/,
  GCP: /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/keyRings\/[A-Za-z0-9_-]{1,63}\/cryptoKeys\/[A-Za-z0-9_-]{1,63}$/,
};

export interface CustomerKey {
  provider: CloudProvider;
  region: string;
  keyID: string;
}

export interface CustomerKeyInput {
  orgId?: string;
  aws?: { keyID: string; region: string };
  gcp?: { keyID: string; region: string };
}

/**
 * Customer-managed keys (BYOK) per provider and region. Orrery records them and reports the accounts
 * that would use them; it encrypts nothing with a cloud KMS.
 */
export class CustomerKeyService {
  constructor(
    private readonly settings: Settings,
    private readonly regions: RegionCatalogue,
  ) {}

  async register(actor: Actor, input: CustomerKeyInput): Promise<void> {
    const orgId = actor.principal.orgId;
    if (input.orgId !== undefined && input.orgId !== orgId)
      throw badRequest('orgId must be the organization of the token.');
    const keys = (
      Object.entries({ AWS: input.aws, GCP: input.gcp }) as [CloudProvider, CustomerKeyInput['aws']][]
    ).filter(([, key]) => key);
    if (keys.length === 0) throw badRequest('Give a key under aws or gcp.');
    for (const [provider, key] of keys) {
      const region = this.regions.find(provider, key!.region);
      if (!region) throw badRequest(`region "${key!.region}" is not a ${provider} region Orrery offers.`);
      if (!KEY_IDS[provider]!.test(key!.keyID))
        throw badRequest(`keyID "${key!.keyID}" is not a ${provider} KMS key name.`);
      const value: CustomerKey = { provider, region: region.name, keyID: key!.keyID };
      await this.settings.put(actor, scope(orgId, provider, region.name), KIND, value, {
        action: 'CUSTOMER_KEY_REGISTERED',
        resource: orgDrn(orgId),
        details: { ...value },
      });
    }
  }

  async list(orgId: string): Promise<CustomerKey[]> {
    return (await this.settings.list<CustomerKey>(orgId, KIND)).map((s) => s.value);
  }

  async find(orgId: string, provider: CloudProvider, region: string): Promise<CustomerKey> {
    const found = await this.settings.get<CustomerKey>(scope(orgId, provider, region.toLowerCase()), KIND);
    if (!found) throw notFound(`No customer key is registered for ${provider} ${region}.`);
    return found.value;
  }

  /** The cloud account that would use the key in a region: stable per organization, provider and region. */
  account(orgId: string, provider: CloudProvider, region: string): string {
    const digest = createHash('sha256').update(`${orgId}/${provider}/${region}`).digest();
    if (provider === 'AWS') return String(digest.readBigUInt64BE() % 10n ** 12n).padStart(12, '0');
    return `orrery-${digest.subarray(0, 6).toString('hex')}`;
  }
}

function scope(orgId: string, provider: CloudProvider, region: string): string {
  return `${orgId}/${provider}/${region}`;
}
