import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { registerAuth } from './http/auth.js';
import { createHttpServer, type AppServer } from './http/server.js';
import { Authenticator } from './iam/authenticator.js';
import { bootstrap, type BootstrapResult } from './iam/bootstrap.js';
import { isAllowed } from './iam/policy.js';
import { RoleResolver } from './iam/role-resolver.js';
import { TokenIssuer } from './iam/token-issuer.js';
import { TokenStore } from './iam/token-store.js';
import { registerHealthRoutes } from './ops/health-routes.js';
import { registerOrgRoutes } from './orgs/org-routes.js';
import { OrgStore } from './orgs/org-store.js';
import { CredentialHasher } from './security/tokens.js';
import { resolveSecretKey } from './security/secret-key.js';
import { migrateToLatest } from './store/migrate.js';
import { openStore, type Store } from './store/database.js';

export interface AppOptions {
  clock?: Clock;
  logStream?: NodeJS.WritableStream;
}

export interface App {
  server: AppServer;
  store: Store;
  bootstrap: BootstrapResult;
  clock: Clock;
  close(): Promise<void>;
}

/** The composition root: opens the store, migrates it, wires every area's store, service and routes. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const store = openStore(config);
  try {
    await migrateToLatest(store.db);
    const hasher = new CredentialHasher(resolveSecretKey(config.secretKey, config.dataDir));
    const orgs = new OrgStore(store.db);
    const tokens = new TokenStore(store.db);
    const issuer = new TokenIssuer(hasher, clock);
    const authenticator = new Authenticator(tokens, new RoleResolver(), hasher, clock);
    const bootstrapped = await bootstrap(store.db, issuer, clock, config.bootstrapToken);

    const server = await createHttpServer({ logLevel: config.logLevel, trustedProxies: config.trustedProxies, logStream: options.logStream });
    registerAuth(server, {
      authenticate: (request) => authenticator.fromAuthorizationHeader(request.headers.authorization),
      isAllowed: (principal, action, resource) => isAllowed(principal.policies, principal.orgId, action, resource),
    });
    registerHealthRoutes(server, store.db);
    registerOrgRoutes(server, orgs);
    await server.ready();

    return {
      server,
      store,
      bootstrap: bootstrapped,
      clock,
      async close() {
        await server.close();
        await store.db.destroy();
      },
    };
  } catch (error) {
    await store.db.destroy();
    throw error;
  }
}
