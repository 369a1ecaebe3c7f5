import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openControlStore } from './control-store.js';
import { registerAccessListRoutes } from './access-lists/access-list-routes.js';
import { AccessListService } from './access-lists/access-list-service.js';
import { AuditLog } from './audit/audit-log.js';
import { BundleLinks } from './bundles/bundle-links.js';
import { registerBundleRoutes } from './bundles/bundle-routes.js';
import { BundleService } from './bundles/bundle-service.js';
import { registerAuditRoutes } from './audit/audit-routes.js';
import { registerDataApiRoutes } from './data-api/data-api-routes.js';
import { DataApiService } from './data-api/data-api-service.js';
import { DataPlane } from './data-api/data-plane.js';
import { DataStoreSnapshots } from './data-api/data-store-snapshots.js';
import { EmbeddedProvisioner } from './data-api/embedded-provisioner.js';
import { COMMAND_LIMITS, DOCUMENT_LIMITS } from './data-api/limits.js';
import { registerDatabaseRoutes } from './databases/database-routes.js';
import { DatabaseService } from './databases/database-service.js';
import { LifecycleEngine } from './databases/lifecycle.js';
import { SimulatedProvisioner, type Provisioner } from './databases/provisioner.js';
import { registerRegionRoutes } from './databases/region-routes.js';
import type { RegionCatalogue } from './databases/regions.js';
import { registerAuthorizationRoutes } from './dbauth/authorization-routes.js';
import { AuthorizationService } from './dbauth/authorization-service.js';
import { DataEndpoints } from './dbauth/data-endpoints.js';
import { registerDbAuthRoutes } from './dbauth/db-auth-routes.js';
import { DbAuthService } from './dbauth/db-auth-service.js';
import { registerCustomerKeyRoutes } from './customer-keys/customer-key-routes.js';
import { CustomerKeyService } from './customer-keys/customer-key-service.js';
import { registerMigrationProxyRoutes } from './databases/migration-proxy-routes.js';
import { MigrationProxyService } from './databases/migration-proxy-service.js';
import { registerEnterpriseRoutes } from './enterprises/enterprise-routes.js';
import { EnterpriseService } from './enterprises/enterprise-service.js';
import { EnterpriseStore } from './enterprises/enterprise-store.js';
import { permissionLabel, principalOf, registerAuth } from './http/auth.js';
import { createHttpServer, type AppServer } from './http/server.js';
import { Authenticator } from './iam/authenticator.js';
import { bootstrap, type BootstrapResult } from './enterprises/bootstrap.js';
import { RequestGate } from './iam/request-gate.js';
import { RoleResolver } from './iam/role-resolver.js';
import { registerRoleRoutes } from './iam/role-routes.js';
import { RoleService } from './iam/role-service.js';
import { RoleStore } from './iam/role-store.js';
import { registerServiceAccountRoutes } from './iam/service-account-routes.js';
import { SigningKeys } from './iam/signing-keys.js';
import { TokenIssuer } from './iam/token-issuer.js';
import { registerTokenRoutes } from './iam/token-routes.js';
import { TokenService } from './iam/token-service.js';
import { TokenStore } from './iam/token-store.js';
import { registerUserRoutes } from './iam/user-routes.js';
import { UserService } from './iam/user-service.js';
import { registerHealthRoutes } from './ops/health-routes.js';
import { Housekeeping, type PurgeTask } from './ops/housekeeping.js';
import { AccessListStore } from './access-lists/access-list-store.js';
import { AuditStore } from './audit/audit-store.js';
import { AuthorityStore } from './bundles/authority-store.js';
import { DatabasePurge } from './databases/database-purge.js';
import { AuthTokenStore } from './dbauth/auth-token-store.js';
import { SettingsStore } from './settings/settings-store.js';
import { Metrics } from './ops/metrics.js';
import { registerMetricsRoutes } from './ops/metrics-routes.js';
import { OperatorActions } from './ops/operator-actions.js';
import { registerEmulatorRoutes } from './emulator/emulator-routes.js';
import { EmulatorService } from './emulator/emulator-service.js';
import { RequestJournal } from './emulator/journal.js';
import { registerDevopsAclRoutes } from './orgs/devops-acl-routes.js';
import { DevopsAclService } from './orgs/devops-acl-service.js';
import { registerCustomDomainRoutes } from './orgs/custom-domain-routes.js';
import { CustomDomainService } from './orgs/custom-domain-service.js';
import { registerOrgRoutes } from './orgs/org-routes.js';
import { registerPcuRoutes } from './pcus/pcu-routes.js';
import { registerPrivateLinkRoutes } from './private-link/private-link-routes.js';
import { PrivateLinkService } from './private-link/private-link-service.js';
import { OrgStore } from './orgs/org-store.js';
import { registerDataExplorerRoutes } from './portal/data-explorer-routes.js';
import { registerPortalRoutes } from './portal/portal-routes.js';
import { InvitationMailer } from './sessions/invitation-mailer.js';
import { SessionGate } from './sessions/session-gate.js';
import { registerSessionRoutes } from './sessions/session-routes.js';
import { DEFAULT_SESSION_LIMITS, SessionService } from './sessions/session-service.js';
import { Settings } from './settings/settings.js';
import { TrafficRecorder } from './traffic/traffic-recorder.js';
import { registerTrafficRoutes } from './traffic/traffic-routes.js';
import { registerTelemetryRoutes } from './telemetry/telemetry-routes.js';
import { TelemetryService } from './telemetry/telemetry-service.js';
import { FailureLimiter } from './security/failure-limiter.js';
import { Sealer } from './security/sealer.js';
import { CredentialHasher } from './security/tokens.js';
import type { Store } from './store/database.js';
import { StoreHealth } from './store/store-health.js';
import { ReadCache, cacheKeys } from './store/read-cache.js';
import { cacheInvalidation } from './store/cache-invalidation.js';
import { CacheNotifications, POSTGRES_CACHE_MAX_AGE_MS } from './store/cache-notifications.js';
import { tlsCredentials } from './tls/local-ca.js';

export interface AppOptions {
  clock?: Clock;
  /** The data plane; the embedded one, paced by the configuration, unless given. */
  provisioner?: Provisioner;
  logStream?: NodeJS.WritableStream;
}

export interface App {
  server: AppServer;
  store: Store;
  bootstrap: BootstrapResult;
  clock: Clock;
  services: ReturnType<typeof buildServices>;
  /** Every route with the permission it declared, for the permission-matrix test and docs. */
  routes: { method: string; url: string; permission: string }[];
  close(): Promise<void>;
}

/** Failed DevOps API credentials allowed per source address (IPv6 /64) per minute; later failures get 429. */
export const AUTH_FAILURES_PER_MINUTE = 30;
/** Failed per-database logins allowed per username and address per minute. */
export const DB_LOGIN_FAILURES_PER_MINUTE = 10;
/** Failed per-database logins for one username from all addresses per minute, past which guessing is slowed. */
export const DB_LOGIN_CEILING_PER_MINUTE = 100;

function buildServices(
  store: Store,
  serverKey: Buffer,
  regions: RegionCatalogue,
  config: Config,
  clock: Clock,
  log: AppServer['log'],
  provisioner?: Provisioner,
) {
  const cache = new ReadCache({
    clock,
    maxAgeMs: store.dialect === 'postgres' ? POSTGRES_CACHE_MAX_AGE_MS : undefined,
  });
  // Stays suspended on PostgreSQL until a CacheNotifications listener resumes it (never, for operator commands).
  if (store.dialect === 'postgres') cache.suspend();
  const db = store.db.withPlugin(cacheInvalidation(cache));
  const hasher = new CredentialHasher(serverKey);
  const audit = new AuditLog(clock);
  const orgStore = new OrgStore(db);
  const roleResolver = new RoleResolver(new RoleStore(db), cache);
  const sealer = new Sealer(serverKey);
  const signingKeys = new SigningKeys(db, sealer, clock);
  const issuer = new TokenIssuer(hasher, clock);
  const authenticator = new Authenticator({
    tokens: new TokenStore(db),
    roles: roleResolver,
    signingKeys,
    hasher,
    clock,
    cache,
  });
  const failures = new FailureLimiter(db, clock);
  const devopsAcl = new DevopsAclService({ db, audit, clock, cache });
  const accessLists = new AccessListService({ db, audit, clock, cache });
  const dbAuthLimits = {
    limiter: failures,
    perParty: DB_LOGIN_FAILURES_PER_MINUTE,
    ceiling: DB_LOGIN_CEILING_PER_MINUTE,
  };
  const dbAuth = new DbAuthService({
    db,
    authenticator,
    hasher,
    accessLists,
    limits: dbAuthLimits,
    clock,
    ttlMs: config.authTokenTtlSeconds * 1000,
    log,
    cache,
  });
  const settings = new Settings({ db, audit, clock, dialect: store.dialect });
  const customDomains = new CustomDomainService(settings);
  const bundles = new BundleService({
    db,
    sealer,
    links: new BundleLinks(serverKey, clock),
    clock,
    appsDomain: config.appsDomain,
    customDomains: (orgId) => customDomains.list(orgId),
  });
  const dataPlane = new DataPlane(store, config.dataDir);
  const pace = new SimulatedProvisioner(config.provisioningSpeed, config.faultRate);
  const lifecycle = new LifecycleEngine({
    db,
    provisioner: provisioner ?? new EmbeddedProvisioner(pace, dataPlane, clock),
    clock,
    log,
  });
  const databases = new DatabaseService({
    db,
    regions,
    lifecycle,
    audit,
    clock,
    hasher,
    authorities: bundles,
    cache,
  });
  const roles = new RoleService({ db, resolver: roleResolver, audit, clock, cache });
  const users = new UserService({ db, roles: roleResolver, audit, clock });
  const dataApiSettings = {
    documentLimits: DOCUMENT_LIMITS,
    commandLimits: COMMAND_LIMITS,
    maxCollections: config.dataApiMaxCollections,
  };
  const gate = new RequestGate({
    db,
    authenticator,
    limiter: failures,
    failuresAllowed: AUTH_FAILURES_PER_MINUTE,
    devopsAcl,
    audit,
  });
  const mailer = config.smtpUrl ? new InvitationMailer(config.smtpUrl) : undefined;
  const sessions = new SessionService({
    db,
    hasher,
    authenticator,
    roles: roleResolver,
    users,
    failures: { limiter: failures, allowed: AUTH_FAILURES_PER_MINUTE },
    audit,
    clock,
    mailer,
    limits: DEFAULT_SESSION_LIMITS,
  });
  return {
    operator: new OperatorActions({ db, issuer, devopsAcl, signingKeys, audit, clock }),
    emulator: new EmulatorService({
      db,
      dialect: store.dialect,
      clock,
      cache,
      issuer,
      authenticator,
      roles,
      users,
      databases,
      lifecycle,
      dataStores: new DataStoreSnapshots(dataPlane),
      bootstrapToken: config.bootstrapToken,
      seedFile: config.seedFile,
    }),
    cache,
    journal: new RequestJournal(config.emulator ? config.journalSize : 0),
    audit,
    issuer,
    authenticator,
    signingKeys,
    authFailures: { limiter: failures, allowed: AUTH_FAILURES_PER_MINUTE },
    devopsAcl,
    // Organizations are never renamed through the API yet, so a cached one stays true.
    findOrg: (orgId: string) => cache.get(cacheKeys.org(orgId), () => orgStore.find(orgId)),
    roles,
    tokens: new TokenService({
      db,
      issuer,
      roles: roleResolver,
      audit,
      clock,
      cache,
      devopsAcl,
      enterprises: new EnterpriseStore(db),
    }),
    users,
    enterprises: new EnterpriseService({ db, issuer, audit, clock }),
    regions,
    lifecycle,
    databases,
    bundles,
    accessLists,
    telemetry: new TelemetryService(databases, settings, sealer),
    migrationProxies: new MigrationProxyService(databases, settings, sealer),
    customDomains,
    customerKeys: new CustomerKeyService(settings, regions),
    privateLinks: new PrivateLinkService(databases, settings, clock),
    dbAuth,
    dataPlane,
    dataApi: new DataApiService({
      db,
      authenticator,
      dbAuth,
      dataPlane,
      keyspaceAdmin: databases,
      clock,
      settings: dataApiSettings,
      log,
      cache,
    }),
    authorization: new AuthorizationService({ db, authenticator, dbAuth, audit, cache }),
    // Portal session cookies are accepted wherever tokens are, through the same gate.
    gate: new SessionGate(gate, sessions),
    sessions,
    traffic: new TrafficRecorder({ db, clock, log }),
    housekeeping: new Housekeeping(purgeTasks(db, config), () => clock.now(), log),
  };
}

const DAY_MS = 24 * 60 * 60_000;

/** What is deleted and when: audit events past their retention, expired tokens and terminated databases past theirs. */
function purgeTasks(db: Store['db'], config: Config): Record<string, PurgeTask> {
  const before = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const databases = new DatabasePurge(db, [
    (trx, ids) => new AccessListStore(trx).deleteForDatabases(ids),
    (trx, ids) => new AuthTokenStore(trx).deleteForDatabases(ids),
    (trx, ids) => new AuthorityStore(trx).deleteForDatabases(ids),
    (trx, ids) => new SettingsStore(trx).deleteScopes(ids),
  ]);
  return {
    auditEvents: (now) =>
      new AuditStore(db).purge({
        olderThan: config.auditRetentionDays > 0 ? before(now, config.auditRetentionDays) : undefined,
        maxPerOrg: config.auditMaxEvents > 0 ? config.auditMaxEvents : undefined,
      }),
    expiredTokens: (now) => new TokenStore(db).purgeExpired(before(now, config.purgeAfterDays)),
    terminatedDatabases: (now) => databases.terminatedBefore(before(now, config.purgeAfterDays)),
  };
}

/** The services on a migrated store without an HTTP server or background jobs: for operator commands. */
export async function openServices(
  config: Config,
  log: AppServer['log'],
): Promise<{ services: ReturnType<typeof buildServices>; close(): Promise<void> }> {
  const { store, serverKey, regions } = await openControlStore(config, log);
  try {
    return { services: buildServices(store, serverKey, regions, config, systemClock, log), close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The composition root: opens the store, migrates it, wires every area's store, service and routes. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const endpoints = new DataEndpoints(config);
  let health: StoreHealth | undefined;
  const tls = await tlsCredentials(config, clock.now());
  const server = await createHttpServer({
    tls,
    logLevel: config.logLevel,
    trustedProxies: config.trustedProxies,
    logStream: options.logStream,
    rewriteUrl: (host, url) => endpoints.rewrite(host, url),
    onStoreFault: (fault, error) => health?.noteFault(fault, error),
  });
  const { store, serverKey, regions } = await openControlStore(config, server.log, clock);
  let notices: CacheNotifications | undefined;
  try {
    health = new StoreHealth(store.db, store.dialect, clock);
    const metrics = new Metrics(() => services.lifecycle.queued());
    const services = buildServices(
      { ...store, db: store.db.withPlugin(metrics.storeTimer()) },
      serverKey,
      regions,
      config,
      clock,
      server.log,
      options.provisioner,
    );
    notices =
      config.databaseUrl && store.dialect === 'postgres'
        ? new CacheNotifications({ databaseUrl: config.databaseUrl, cache: services.cache, log: server.log })
        : undefined;
    await notices?.start();
    await server.register(fastifyCookie);
    // Links Orrery hands out point at its configured address, or at the one the request came to.
    const publicBase = (request: FastifyRequest) => config.publicUrl ?? `${request.protocol}://${request.host}`;
    const bootstrapped = await bootstrap(store.db, services.issuer, clock, config.bootstrapToken);
    if (bootstrapped.created) await services.emulator.seedFromFile();

    const routes: App['routes'] = [];
    server.addHook('onRoute', (route) => {
      const permission = route.config?.permission;
      for (const method of [route.method].flat())
        routes.push({ method, url: route.url, permission: permission ? permissionLabel(permission) : 'none' });
    });
    registerAuth(server, services.gate);
    registerHealthRoutes(server, health);
    // Before the data endpoints' routes, so that its hook measures them.
    registerTrafficRoutes(server, services.traffic, (orgId, databaseId) => services.databases.get(orgId, databaseId));
    server.addHook('onResponse', async (request, reply) => metrics.observeRequest(request, reply));
    registerMetricsRoutes(server, metrics, store.db);
    if (config.emulator) {
      server.addHook('preValidation', async (request) => services.journal.capture(request));
      server.addHook('onResponse', async (request, reply) => {
        if (!request.url.startsWith('/_orrery/journal')) services.journal.record(request, reply, clock.now());
      });
      registerEmulatorRoutes(server, services.emulator, services.journal);
    }
    registerOrgRoutes(server, services.findOrg);
    registerTokenRoutes(server, services.tokens);
    registerRoleRoutes(server, services.roles);
    registerUserRoutes(server, services.users, services.findOrg);
    registerServiceAccountRoutes(server, services.authenticator, services.signingKeys, services.authFailures);
    registerDevopsAclRoutes(server, services.devopsAcl);
    registerAuditRoutes(server, store.db);
    registerEnterpriseRoutes(server, services.enterprises);
    registerRegionRoutes(server, services.regions);
    registerDatabaseRoutes(server, services.databases, services.regions, (request) => {
      const base = publicBase(request);
      return {
        appsDomain: config.appsDomain,
        dataEndpoint: (databaseId, region) => endpoints.base(databaseId, region, base),
        bundles: (database, datacenterId) =>
          services.bundles.urlsFor(principalOf(request), base, database, datacenterId),
      };
    });
    registerAccessListRoutes(server, services.accessLists);
    registerBundleRoutes(server, services.bundles, publicBase);
    registerTelemetryRoutes(server, services.telemetry);
    registerMigrationProxyRoutes(server, services.migrationProxies);
    registerCustomDomainRoutes(server, services.customDomains);
    registerCustomerKeyRoutes(server, services.customerKeys);
    registerPrivateLinkRoutes(server, services.privateLinks);
    registerPcuRoutes(server, services.regions);
    registerDbAuthRoutes(server, services.dbAuth);
    registerAuthorizationRoutes(server, services.authorization);
    registerDataApiRoutes(server, services.dataApi);
    registerDataExplorerRoutes(server, services.dataApi);
    registerSessionRoutes(server, services.sessions, DEFAULT_SESSION_LIMITS, publicBase);
    await registerPortalRoutes(server);
    await server.ready();
    services.lifecycle.start();
    services.dbAuth.start();
    services.housekeeping.start();
    services.traffic.start();

    return {
      server,
      store,
      bootstrap: bootstrapped,
      clock,
      services,
      routes,
      async close() {
        await server.close();
        await notices?.stop();
        await services.lifecycle.stop();
        await services.housekeeping.stop();
        await services.traffic.stop();
        services.dbAuth.stop();
        await services.dataPlane.close();
        await store.close();
      },
    };
  } catch (error) {
    await notices?.stop();
    await store.close();
    throw error;
  }
}
