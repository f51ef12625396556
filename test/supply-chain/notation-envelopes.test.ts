// The notation verifier on envelopes an attacker or a careless signer could write, each built here with jose
// over certificates openssl issues, and judged against the Notary Project signature specification: chain
// order and certificate fitness, critical headers, expiry, signing time, algorithm, budgets. The happy path
// is here too, so that every rejection below is the one named and not a broken fixture.
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FlattenedSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SupplyChainConfig } from '../../supply-chain/config.ts';
import { verifyNotationSignature, type NotationVerdict } from '../../supply-chain/notation/verify.ts';
import type { NotationTrust } from '../../supply-chain/notation/trust-store.ts';

const run = promisify(execFile);
const target = { digest: `sha256:${'a'.repeat(64)}`, size: 423, mediaType: 'application/vnd.oci.image.manifest.v1+json' };
const cnf = [
  '[req]',
  'distinguished_name = dn',
  '[dn]',
  '[ca]',
  'basicConstraints = critical, CA:TRUE',
  'keyUsage = critical, keyCertSign',
  '[leaf]',
  'basicConstraints = CA:FALSE',
  'keyUsage = critical, digitalSignature',
  'extendedKeyUsage = codeSigning',
  '[leaf_is_ca]',
  'basicConstraints = critical, CA:TRUE',
  'keyUsage = critical, digitalSignature',
  '[leaf_server]',
  'keyUsage = critical, digitalSignature',
  'extendedKeyUsage = serverAuth',
  '',
].join('\n');

let dir: string;
let ca: { pem: string; key: string };
const leaves: Record<string, { pem: string; key: string }> = {};

async function openssl(args: string[]) {
  await run('openssl', args, { cwd: dir });
}

async function leaf(name: string, extensions: string, days = 2, subject = `/C=US/ST=WA/O=acme/CN=${name}`) {
  await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject, '-config', 'openssl.cnf']);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Object.keys(leaves).length + 10), '-days', String(days), '-out', `${name}.crt`, '-extfile', 'openssl.cnf', '-extensions', extensions]);
  leaves[name] = { pem: await readFile(join(dir, `${name}.crt`), 'utf8'), key: await readFile(join(dir, `${name}.key`), 'utf8') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posture-notation-env-'));
  await writeFile(join(dir, 'openssl.cnf'), cnf);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', '/C=US/ST=WA/O=acme/CN=acme CA', '-config', 'openssl.cnf', '-extensions', 'ca']);
  ca = { pem: await readFile(join(dir, 'ca.crt'), 'utf8'), key: await readFile(join(dir, 'ca.key'), 'utf8') };
  await leaf('signer', 'leaf');
  await leaf('ca-as-leaf', 'leaf_is_ca');
  await leaf('tls-server', 'leaf_server');
  await leaf('two-ous', 'leaf', 2, '/C=US/ST=WA/O=acme/OU=a/OU=b/CN=two-ous');
}, 60_000);

const der = (pem: string) => new X509Certificate(pem).raw.toString('base64');

interface Build {
  signer?: string;
  header?: Record<string, unknown>;
  drop?: string[];
  alg?: string;
  payload?: unknown;
  x5c?: string[];
}

async function envelope(b: Build = {}): Promise<Buffer> {
  const s = leaves[b.signer ?? 'signer']!;
  const protectedHeader: Record<string, unknown> = {
    alg: b.alg ?? 'PS256',
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    crit: ['io.cncf.notary.signingScheme'],
    'io.cncf.notary.signingScheme': 'notary.x509',
    'io.cncf.notary.signingTime': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...b.header,
  };
  for (const k of b.drop ?? []) delete protectedHeader[k];
  const jws = await new FlattenedSign(Buffer.from(JSON.stringify(b.payload ?? { targetArtifact: target })))
    .setProtectedHeader(protectedHeader as never)
    .setUnprotectedHeader({ x5c: b.x5c ?? [der(s.pem), der(ca.pem)] })
    .sign(createPrivateKey(s.key), { crit: { 'io.cncf.notary.signingScheme': true, 'io.cncf.notary.expiry': true, 'acme.custom': true } });
  return Buffer.from(JSON.stringify(jws));
}

const trust = (identities = ['x509.subject: C=US, ST=WA, O=acme']): NotationTrust => ({ certificates: [{ name: 'acme-ca', cert: new X509Certificate(ca.pem) }], trustedIdentities: identities });

async function judge(bytes: Buffer, t: NotationTrust = trust()): Promise<NotationVerdict> {
  const layer = { mediaType: 'application/jose+json', digest: `sha256:${'b'.repeat(64)}`, size: bytes.length };
  return verifyNotationSignature({
    manifest: { schemaVersion: 2, config: { mediaType: 'application/vnd.cncf.notary.signature', digest: `sha256:${'c'.repeat(64)}`, size: 2 }, layers: [layer] },
    readBlob: async () => bytes,
    target: async () => target,
    trust: t,
    what: 'r.example/app@sha256:sig',
  });
}

describe('notation envelope verification', () => {
  it('a well-formed envelope from a leaf under the trusted CA verifies', async () => {
    const v = await judge(await envelope());
    expect(v).toMatchObject({ verified: true, format: 'notation-jws', signer: { kind: 'x509', subject: 'C=US, ST=WA, O=acme, CN=signer', trustedCertificate: 'acme-ca' } });
  });

  it('a CA certificate signing the artifact is an invalid chain', async () => {
    const v = await judge(await envelope({ signer: 'ca-as-leaf' }));
    expect(v.problem).toMatchObject({ code: 'invalid-chain', message: expect.stringContaining('signs the artifact but is a CA certificate') });
  });

  it('a TLS server certificate signing the artifact is an invalid chain', async () => {
    const v = await judge(await envelope({ signer: 'tls-server' }));
    expect(v.problem).toMatchObject({ code: 'invalid-chain', message: expect.stringContaining('extended key usage includes serverAuth') });
  });

  it('a chain listed root first does not verify: the first x5c certificate is the signing one', async () => {
    const v = await judge(await envelope({ x5c: [der(ca.pem), der(leaves.signer!.pem)], signer: 'signer' }));
    expect(v.problem).toMatchObject({ code: 'signature-invalid' });
  });

  it('a chain without its root is an invalid chain', async () => {
    const v = await judge(await envelope({ x5c: [der(leaves.signer!.pem)] }));
    expect(v.problem).toMatchObject({ code: 'invalid-chain', message: expect.stringContaining('is not a self-signed root') });
  });

  it('a critical header posture does not understand is not verified', async () => {
    const v = await judge(await envelope({ header: { crit: ['io.cncf.notary.signingScheme', 'acme.custom'], 'acme.custom': 'x' } }));
    expect(v.verified).toBe(false);
    expect(v.problem?.code).toBe('unsupported');
    expect(v.problem?.message).toContain('acme.custom');
  });

  it('an expiry that has passed fails as expired', async () => {
    const v = await judge(await envelope({ header: { crit: ['io.cncf.notary.signingScheme', 'io.cncf.notary.expiry'], 'io.cncf.notary.expiry': '2020-01-01T00:00:00Z' } }));
    expect(v.problem).toMatchObject({ code: 'expired', message: expect.stringContaining('expired at 2020-01-01T00:00:00.000Z') });
  });

  it('an expiry not marked critical is malformed', async () => {
    const v = await judge(await envelope({ header: { 'io.cncf.notary.expiry': '2099-01-01T00:00:00Z' } }));
    expect(v.problem).toMatchObject({ code: 'malformed', message: expect.stringContaining('does not mark io.cncf.notary.expiry critical') });
  });

  it('a signing time before the certificates were issued is an invalid chain', async () => {
    const v = await judge(await envelope({ header: { 'io.cncf.notary.signingTime': '2001-01-01T00:00:00Z' } }));
    expect(v.problem).toMatchObject({ code: 'invalid-chain', message: expect.stringContaining('was not valid at the signing time 2001-01-01') });
  });

  it('no signing time is malformed', async () => {
    const v = await judge(await envelope({ drop: ['io.cncf.notary.signingTime'] }));
    expect(v.problem).toMatchObject({ code: 'malformed', message: expect.stringContaining('io.cncf.notary.signingTime') });
  });

  it('an algorithm other than the one the key signs with is refused', async () => {
    const v = await judge(await envelope({ alg: 'PS384' }));
    expect(v.problem).toMatchObject({ code: 'malformed', message: expect.stringContaining('the envelope says PS384 but the signing certificate\'s key signs with PS256') });
  });

  it('a descriptor of another size is a subject mismatch', async () => {
    const v = await judge(await envelope({ payload: { targetArtifact: { ...target, size: 424 } } }));
    expect(v.problem).toMatchObject({ code: 'subject-mismatch', message: expect.stringContaining('says 424 bytes') });
  });

  it('an x5c of more than ten certificates is refused before any is parsed', async () => {
    const v = await judge(await envelope({ x5c: Array.from({ length: 11 }, () => der(ca.pem)) }));
    expect(v.problem?.code).toBe('malformed');
  });

  it('bytes that are not JSON are malformed, naming the artifact', async () => {
    const v = await judge(Buffer.from('\u0000not json'));
    expect(v.problem).toEqual({ code: 'malformed', message: 'r.example/app@sha256:sig: the JWS envelope is not JSON' });
  });

  it('a signing certificate whose subject names an attribute twice cannot match an identity, and says so', async () => {
    const v = await judge(await envelope({ signer: 'two-ous', x5c: [der(leaves['two-ous']!.pem), der(ca.pem)] }));
    expect(v.problem).toMatchObject({ code: 'untrusted-identity', message: expect.stringContaining('names OU twice') });
  });

  it('a "*" identity trusts any subject under the trust store, an identity naming another CN does not', async () => {
    expect((await judge(await envelope(), trust(['*']))).verified).toBe(true);
    expect((await judge(await envelope(), trust(['x509.subject: C=US, ST=WA, O=acme, CN=someone']))).problem?.code).toBe('untrusted-identity');
  });
});

describe('notation verifier configuration', () => {
  const policy = (notation: unknown) => SupplyChainConfig.safeParse({ policies: [{ name: 'p', match: ['r.example/**'], ...(notation ? { notation } : {}) }] });

  it('a policy with neither cosign nor notation is refused', () => {
    const parsed = policy(null);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('names no verifier');
  });

  it('a trusted identity without C, ST and O is refused, as notation refuses it', () => {
    const parsed = policy({ trustStore: [{ name: 'ca', pem: '-----BEGIN CERTIFICATE-----x' }], trustedIdentities: ['x509.subject: CN=release'] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('lacks C, ST, O');
  });

  it('an identity of another type is refused', () => {
    const parsed = policy({ trustStore: [{ name: 'ca', pem: '-----BEGIN CERTIFICATE-----x' }], trustedIdentities: ['x509.issuer: C=US, ST=WA, O=acme'] });
    expect(parsed.success).toBe(false);
  });
});
