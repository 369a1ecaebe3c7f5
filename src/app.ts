import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { registerAccessListRoutes } from './access-lists/access-list-routes.js';
import { AccessListService } from './access-lists/access-list-service.js';
import { AuditLog } from './audit/audit-log.js';
import { BundleLinks } from './bundles/bundle-links.js';
import { registerBundleRoutes } from './bundles/bundle-routes.js';
import { BundleService } from './bundles/bundle-service.js';
import { registerAuditRoutes } from './audit/audit-routes.js';
import { registerDatabaseRoutes } from './databases/database-routes.js';
import { DatabaseService } from './databases/database-service.js';
import { LifecycleEngine } from './databases/lifecycle.js';
import { SimulatedProvisioner, type Provisioner } from './databases/provisioner.js';
import { registerRegionRoutes } from './databases/region-routes.js';
import { RegionCatalogue } from './databases/regions.js';
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
import { permissionLabel, registerAuth } from './http/auth.js';
import { createHttpServer, type AppServer } from './http/server.js';
import { Authenticator } from './iam/authenticator.js';
import { bootstrap, type BootstrapResult } from './iam/bootstrap.js';
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
import { registerDevopsAclRoutes } from './orgs/devops-acl-routes.js';
import { DevopsAclService } from './orgs/devops-acl-service.js';
import { registerCustomDomainRoutes } from './orgs/custom-domain-routes.js';
import { CustomDomainService } from './orgs/custom-domain-service.js';
import { registerOrgRoutes } from './orgs/org-routes.js';
import { registerPcuRoutes } from './pcus/pcu-routes.js';
import { registerPrivateLinkRoutes } from './private-link/private-link-routes.js';
import { PrivateLinkService } from './private-link/private-link-service.js';
import { OrgStore } from './orgs/org-store.js';
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
import { resolveSecretKey } from './security/secret-key.js';
import { CredentialHasher } from './security/tokens.js';
import { openStore, type Store } from './store/database.js';
import { migrateToLatest } from './store/migrate.js';
import { ReadCache, cacheKeys } from './store/read-cache.js';

export interface AppOptions {
  clock?: Clock;
  /** The data plane; the simulated one from the configuration unless given. */
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

/** Failed credentials allowed per source address per minute before it gets 429s. */
export const AUTH_FAILURES_PER_MINUTE = 30;
/** Failed per-database logins allowed per username per minute. */
export const DB_LOGIN_FAILURES_PER_MINUTE = 10;

function buildServices(store: Store, config: Config, clock: Clock, log: AppServer['log'], provisioner?: Provisioner) {
  const db = store.db;
  const serverKey = resolveSecretKey(config.secretKey, config.dataDir);
  const hasher = new CredentialHasher(serverKey);
  const audit = new AuditLog(clock);
  const cache = new ReadCache(store.dialect === 'sqlite');
  const orgStore = new OrgStore(db);
  const roleResolver = new RoleResolver(new RoleStore(db), cache);
  const sealer = new Sealer(serverKey);
  const signingKeys = new SigningKeys(db, sealer, clock);
  const issuer = new TokenIssuer(hasher, clock);
  const authenticator = new Authenticator(new TokenStore(db), roleResolver, signingKeys, hasher, clock, cache);
  const authFailures = new FailureLimiter(clock, { maxFailures: AUTH_FAILURES_PER_MINUTE, windowMs: 60_000 });
  const devopsAcl = new DevopsAclService(db, audit, clock, cache);
  const regions = config.regionsFile ? RegionCatalogue.fromFile(config.regionsFile) : new RegionCatalogue();
  const accessLists = new AccessListService(db, audit, clock, cache);
  const dbAuthLimits = {
    byAddress: new FailureLimiter(clock, { maxFailures: AUTH_FAILURES_PER_MINUTE, windowMs: 60_000 }),
    byUsername: new FailureLimiter(clock, { maxFailures: DB_LOGIN_FAILURES_PER_MINUTE, windowMs: 60_000 }),
  };
  const dbAuth = new DbAuthService(db, authenticator, hasher, accessLists, dbAuthLimits, clock, config.authTokenTtlSeconds * 1000, log);
  const settings = new Settings(db, audit, clock, store.dialect);
  const customDomains = new CustomDomainService(settings);
  const bundles = new BundleService(db, sealer, new BundleLinks(serverKey, clock), clock, config.appsDomain, (orgId) => customDomains.list(orgId));
  const lifecycle = new LifecycleEngine(db, provisioner ?? new SimulatedProvisioner(config.provisioningSpeed, config.faultRate), clock, log);
  const databases = new DatabaseService(db, regions, lifecycle, audit, clock, hasher, bundles);
  const users = new UserService(db, roleResolver, audit, clock);
  const gate = new RequestGate(db, authenticator, authFailures, devopsAcl, audit);
  const mailer = config.smtpUrl ? new InvitationMailer(config.smtpUrl) : undefined;
  const sessions = new SessionService(db, hasher, authenticator, roleResolver, users, authFailures, audit, clock, mailer, DEFAULT_SESSION_LIMITS);
  return {
    audit,
    issuer,
    authenticator,
    signingKeys,
    authFailures,
    devopsAcl,
    // Organizations are never renamed through the API yet, so a cached one stays true.
    findOrg: (orgId: string) => cache.get(cacheKeys.org(orgId), () => orgStore.find(orgId)),
    roles: new RoleService(db, roleResolver, audit, clock, cache),
    tokens: new TokenService(db, issuer, roleResolver, audit, clock, cache),
    users,
    enterprises: new EnterpriseService(db, issuer, audit, clock),
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
    authorization: new AuthorizationService(db, authenticator, dbAuth, audit),
    // Portal session cookies are accepted wherever tokens are, through the same gate.
    gate: new SessionGate(gate, sessions),
    sessions,
    traffic: new TrafficRecorder(clock),
  };
}

/** The composition root: opens the store, migrates it, wires every area's store, service and routes. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const store = openStore(config);
  try {
    await migrateToLatest(store.db);
    const endpoints = new DataEndpoints(config);
    const server = await createHttpServer({
      logLevel: config.logLevel,
      trustedProxies: config.trustedProxies,
      logStream: options.logStream,
      rewriteUrl: (host, url) => endpoints.rewrite(host, url),
    });
    await server.register(fastifyCookie);
    const services = buildServices(store, config, clock, server.log, options.provisioner);
    // Links Orrery hands out point at its configured address, or at the one the request came to.
    const publicBase = (request: FastifyRequest) => config.publicUrl ?? `${request.protocol}://${request.host}`;
    const bootstrapped = await bootstrap(store.db, services.issuer, clock, config.bootstrapToken);

    const routes: App['routes'] = [];
    server.addHook('onRoute', (route) => {
      const permission = route.config?.permission;
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, permission: permission ? permissionLabel(permission) : 'none' });
    });
    registerAuth(server, services.gate);
    // Before the data endpoints' routes, so that its hook measures them.
    registerTrafficRoutes(server, services.traffic, (orgId, databaseId) => services.databases.get(orgId, databaseId));
    registerHealthRoutes(server, store.db);
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
        bundles: (datacenterId, databaseName) => services.bundles.urls(base, datacenterId, databaseName),
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
    registerSessionRoutes(server, services.sessions, DEFAULT_SESSION_LIMITS, publicBase);
    await registerPortalRoutes(server);
    await server.ready();
    services.lifecycle.start();
    services.dbAuth.start();

    return {
      server,
      store,
      bootstrap: bootstrapped,
      clock,
      services,
      routes,
      async close() {
        await server.close();
        await services.lifecycle.stop();
        services.dbAuth.stop();
        await store.db.destroy();
      },
    };
  } catch (error) {
    await store.db.destroy();
    throw error;
  }
}
