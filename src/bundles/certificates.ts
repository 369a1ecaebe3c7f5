import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface PemPair {
  certificate: string;
  privateKey: string;
}

function serialNumber(): string {
  // Positive 128-bit serial: clear the top bit so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A certificate authority named `commonName` (a database's own, or Orrery's local one), valid for ten years. */
export async function createAuthority(commonName: string, now: Date): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}, O=Orrery`,
    notBefore: now,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate: certificate.toString('pem'), privateKey: await privateKeyPem(keys.privateKey) };
}

/** A client certificate for one bundle, signed by the database's authority, valid for a year. */
export async function issueClientCertificate(authority: PemPair, databaseId: string, now: Date): Promise<PemPair> {
  return issue(authority, `CN=${databaseId} client, O=Orrery`, now, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
}

/** A TLS server certificate for the given DNS names and IP addresses, signed by the authority, valid for a year. */
export async function issueServerCertificate(authority: PemPair, names: string[], now: Date): Promise<PemPair> {
  const isIp = (name: string) => /^[\d.]+$/.test(name) || name.includes(':');
  return issue(authority, `CN=${names[0]}, O=Orrery`, now, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      names.map((name) => ({ type: isIp(name) ? ('ip' as const) : ('dns' as const), value: name })),
    ),
  ]);
}

async function issue(authority: PemPair, subject: string, now: Date, extensions: x509.Extension[]): Promise<PemPair> {
  const caCertificate = new x509.X509Certificate(authority.certificate);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(authority.privateKey),
    ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: caCertificate.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + YEAR_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...extensions,
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
    ],
  });
  return { certificate: certificate.toString('pem'), privateKey: await privateKeyPem(keys.privateKey) };
}

/** The DNS names and IP addresses a certificate is for, and when it expires. */
export function certificateScope(pem: string): { names: string[]; notAfter: Date } {
  const certificate = new x509.X509Certificate(pem);
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  return { names: san?.names.items.map((n) => n.value) ?? [], notAfter: certificate.notAfter };
}
