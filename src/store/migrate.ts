import { Migrator, type Kysely, type Migration } from 'kysely';
import * as foundation from './migrations/001-foundation.js';
import * as identity from './migrations/002-identity.js';
import * as enterprises from './migrations/003-enterprises.js';
import * as databases from './migrations/004-databases.js';
import * as datacenters from './migrations/005-datacenters.js';
import * as accessLists from './migrations/006-access-lists.js';
import * as dataAuthTokens from './migrations/007-data-auth-tokens.js';
import * as authorities from './migrations/008-certificate-authorities.js';
import * as settings from './migrations/009-settings.js';
import * as failureCounts from './migrations/010-failure-counts.js';
import * as serverKeyCheck from './migrations/015-server-key-check.js';
import * as auditPaging from './migrations/016-audit-paging.js';
import * as emulatorSnapshots from './migrations/040-emulator-snapshots.js';
import * as portalSessions from './migrations/030-portal-sessions.js';
import * as cacheNotifications from './migrations/060-cache-notifications.js';
import * as trafficMinutes from './migrations/090-traffic-minutes.js';

/** Forward-only migrations, applied in name order at start-up. Never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-identity': identity,
  '003-enterprises': enterprises,
  '004-databases': databases,
  '005-datacenters': datacenters,
  '006-access-lists': accessLists,
  '007-data-auth-tokens': dataAuthTokens,
  '008-certificate-authorities': authorities,
  '009-settings': settings,
  '010-failure-counts': failureCounts,
  '015-server-key-check': serverKeyCheck,
  '016-audit-paging': auditPaging,
  '040-emulator-snapshots': emulatorSnapshots,
  '030-portal-sessions': portalSessions,
  '060-cache-notifications': cacheNotifications,
  '090-traffic-minutes': trafficMinutes,
};

function migrator(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

/** True when every known migration has been applied: what /ready reports. */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const migrations = await migrator(db).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
