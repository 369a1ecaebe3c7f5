import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { certificateScope, createAuthority, issueServerCertificate, type PemPair } from '../bundles/certificates.js';
import type { Config } from '../config.js';

export interface TlsCredentials {
  key: string;
  cert: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** The API host name: the one configured, or api.<domain> when the apps domain is apps.<domain>. */
export function apiHostOf(config: Pick<Config, 'apiHost' | 'appsDomain'>): string | undefined {
  return (
    config.apiHost ??
    (config.appsDomain.startsWith('apps.') ? `api.${config.appsDomain.slice('apps.'.length)}` : undefined)
  );
}

/** Every name Orrery answers to: its own, the API host, and every data endpoint under the apps domain. */
export function serverNames(config: Pick<Config, 'apiHost' | 'appsDomain' | 'publicUrl'>): string[] {
  const names = ['localhost', '127.0.0.1', '::1', `*.${config.appsDomain}`];
  const apiHost = apiHostOf(config);
  if (apiHost) names.push(apiHost);
  if (config.publicUrl) names.push(new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ''));
  return [...new Set(names)];
}

function readPair(certFile: string, keyFile: string): PemPair | undefined {
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  return { certificate: readFileSync(certFile, 'utf8'), privateKey: readFileSync(keyFile, 'utf8') };
}

function writePair(pair: PemPair, certFile: string, keyFile: string): void {
  writeFileSync(certFile, pair.certificate);
  writeFileSync(keyFile, pair.privateKey, { mode: 0o600 });
}

/**
 * A certificate authority kept in <dataDir>/tls (ca.pem is what clients trust) and a server
 * certificate it signs for Orrery's names, reissued when the names change or it nears expiry.
 */
export async function localCaCredentials(
  config: Pick<Config, 'dataDir' | 'apiHost' | 'appsDomain' | 'publicUrl'>,
  now: Date,
): Promise<TlsCredentials & { caFile: string }> {
  const dir = path.join(config.dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = path.join(dir, 'ca.pem');
  const caKeyFile = path.join(dir, 'ca-key.pem');
  let authority = readPair(caFile, caKeyFile);
  if (!authority) {
    authority = await createAuthority('Orrery local CA', now);
    writePair(authority, caFile, caKeyFile);
  }
  const certFile = path.join(dir, 'server.pem');
  const keyFile = path.join(dir, 'server-key.pem');
  const wanted = serverNames(config);
  let server = readPair(certFile, keyFile);
  const scope = server && certificateScope(server.certificate);
  const current =
    scope &&
    scope.notAfter.getTime() - now.getTime() > RENEW_BEFORE_MS &&
    wanted.every((n) => scope.names.includes(n)) &&
    scope.names.length === wanted.length;
  if (!server || !current) {
    server = await issueServerCertificate(authority, wanted, now);
    writePair(server, certFile, keyFile);
  }
  return { key: server.privateKey, cert: server.certificate, caFile };
}

/** The credentials to serve HTTPS with, or undefined for plain HTTP. */
export async function tlsCredentials(config: Config, now: Date): Promise<TlsCredentials | undefined> {
  if (config.tls === 'off') return undefined;
  if (config.tls === 'files')
    return { cert: readFileSync(config.tlsCertFile!, 'utf8'), key: readFileSync(config.tlsKeyFile!, 'utf8') };
  return localCaCredentials(config, now);
}
