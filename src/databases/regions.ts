import { readFileSync } from 'node:fs';
import { StartupError } from '../startup-error.js';

export type CloudProvider = 'AWS' | 'GCP' | 'AZURE';
export const CLOUD_PROVIDERS: readonly CloudProvider[] = ['AWS', 'GCP', 'AZURE'];

export interface Region {
  cloudProvider: CloudProvider;
  name: string;
  displayName: string;
  zone: 'na' | 'emea' | 'apac' | 'sa';
  classification: 'standard' | 'premium' | 'premium_plus';
  /** Whether organizations may place databases here; the others are listed only with filter-by-org=disabled. */
  enabled: boolean;
}

type Row = [string, string, Region['zone'], Region['classification'], enabled?: false];

const AWS: Row[] = [
  ['us-east-1', 'N. Virginia', 'na', 'standard'],
  ['us-east-2', 'Ohio', 'na', 'standard'],
  ['us-west-2', 'Oregon', 'na', 'standard'],
  ['ca-central-1', 'Canada (Central)', 'na', 'premium'],
  ['eu-west-1', 'Ireland', 'emea', 'standard'],
  ['eu-central-1', 'Frankfurt', 'emea', 'premium'],
  ['eu-west-2', 'London', 'emea', 'premium'],
  ['ap-south-1', 'Mumbai', 'apac', 'premium'],
  ['ap-southeast-1', 'Singapore', 'apac', 'premium'],
  ['ap-southeast-2', 'Sydney', 'apac', 'premium'],
  ['ap-northeast-1', 'Tokyo', 'apac', 'premium_plus'],
  ['sa-east-1', 'São Paulo', 'sa', 'premium_plus'],
  ['me-central-1', 'UAE', 'emea', 'premium_plus', false],
  ['af-south-1', 'Cape Town', 'emea', 'premium_plus', false],
];
const GCP: Row[] = [
  ['us-east1', 'Moncks Corner, South Carolina', 'na', 'standard'],
  ['us-east4', 'Ashburn, Virginia', 'na', 'standard'],
  ['us-central1', 'Council Bluffs, Iowa', 'na', 'standard'],
  ['us-west1', 'The Dalles, Oregon', 'na', 'standard'],
  ['northamerica-northeast1', 'Montréal, Québec', 'na', 'premium'],
  ['europe-west1', 'St. Ghislain, Belgium', 'emea', 'standard'],
  ['europe-west2', 'London, England', 'emea', 'premium'],
  ['europe-west4', 'Eemshaven, Netherlands', 'emea', 'premium'],
  ['asia-south1', 'Mumbai, India', 'apac', 'premium'],
  ['asia-northeast1', 'Tokyo, Japan', 'apac', 'premium_plus'],
  ['australia-southeast1', 'Sydney, Australia', 'apac', 'premium'],
  ['southamerica-east1', 'Osasco, São Paulo', 'sa', 'premium_plus'],
  ['me-west1', 'Tel Aviv, Israel', 'emea', 'premium_plus', false],
];
const AZURE: Row[] = [
  ['eastus', 'Washington, Virginia', 'na', 'standard'],
  ['eastus2', 'Virginia', 'na', 'standard'],
  ['westus2', 'Washington', 'na', 'standard'],
  ['canadacentral', 'Toronto', 'na', 'premium'],
  ['northeurope', 'Ireland', 'emea', 'standard'],
  ['westeurope', 'Netherlands', 'emea', 'premium'],
  ['uksouth', 'London', 'emea', 'premium'],
  ['centralindia', 'Pune', 'apac', 'premium'],
  ['australiaeast', 'New South Wales', 'apac', 'premium'],
  ['japaneast', 'Tokyo, Saitama', 'apac', 'premium_plus'],
  ['brazilsouth', 'São Paulo State', 'sa', 'premium_plus'],
  ['uaenorth', 'Dubai', 'emea', 'premium_plus', false],
];

function expand(cloudProvider: CloudProvider, rows: Row[]): Region[] {
  return rows.map(([name, displayName, zone, classification, enabled]) => ({
    cloudProvider,
    name,
    displayName,
    zone,
    classification,
    enabled: enabled ?? true,
  }));
}

export const BUILTIN_REGIONS: readonly Region[] = [
  ...expand('AWS', AWS),
  ...expand('GCP', GCP),
  ...expand('AZURE', AZURE),
];

/**
 * The regions Orrery knows: the built-in list, or an operator's JSON file of Region objects. Databases go
 * only in enabled ones; a few built-in regions are not enabled, as in Astra, where some need a request.
 */
export class RegionCatalogue {
  constructor(readonly regions: readonly Region[] = BUILTIN_REGIONS) {}

  static fromFile(file: string): RegionCatalogue {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason =
        error instanceof SyntaxError
          ? `it is not valid JSON (${error.message})`
          : `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
      throw new StartupError(`the regions file ${file} (ORRERY_REGIONS_FILE) is unusable: ${reason}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0)
      throw new StartupError(`${file}: expected a non-empty JSON array of regions`);
    const regions = parsed.map((entry, i) => {
      const r = entry as Partial<Region>;
      const provider = String(r.cloudProvider ?? '').toUpperCase() as CloudProvider;
      if (!CLOUD_PROVIDERS.includes(provider) || !r.name || !/^[a-z0-9_-]+$/.test(r.name)) {
        throw new StartupError(`${file}: entry ${i} needs cloudProvider (AWS, GCP or AZURE) and a lower-case name`);
      }
      if (r.enabled !== undefined && typeof r.enabled !== 'boolean')
        throw new StartupError(`${file}: entry ${i} has an enabled that is not true or false`);
      return {
        cloudProvider: provider,
        name: r.name,
        displayName: r.displayName ?? r.name,
        zone: r.zone ?? 'na',
        classification: r.classification ?? 'standard',
        enabled: r.enabled ?? true,
      };
    });
    return new RegionCatalogue(regions);
  }

  get enabled(): readonly Region[] {
    return this.regions.filter((r) => r.enabled);
  }

  find(provider: CloudProvider, name: string): Region | undefined {
    return this.regions.find((r) => r.cloudProvider === provider && r.name === name.toLowerCase());
  }
}

export function parseProvider(value: string): CloudProvider | undefined {
  const upper = value.toUpperCase();
  return CLOUD_PROVIDERS.find((p) => p === upper);
}
