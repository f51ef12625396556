// IMG-007 against real Notary Project signatures: notation v1.3.2 signs images in a real registry (the CNCF
// distribution registry, which has no referrers API, so notation writes the referrers fallback tag
// sha256-<hex>) with certificate chains openssl issues. Every verdict is checked against `notation verify`
// under an equivalent trust store and trust policy, and the reason against what was done to the image.
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craneFor, type Crane } from '../oci/support/crane.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { notationFor, type Notation, type TestPki } from './support/notation.ts';
import { digestOf, getJson, putBlob, putManifest } from './support/registry-writes.ts';
import { scanImage, verdictOn } from './support/signing-lab.ts';

interface Signature {
  verified: boolean;
  format: string;
  foundBy: string;
  signer: { kind: string; subject?: string; trustedCertificate?: string } | null;
  problem: { code: string; message: string } | null;
}
interface Report {
  assets: { id: string; kind: string; image?: { digest: string; signatures?: Signature[] } }[];
  findings: { ruleId: string; assetId: string; message: string }[];
  unjudged: { ruleId: string; assetId: string; reason: string; detail: string }[];
  errors: { message: string }[];
}

let registry: RunningRegistry;
let crane: Crane;
let notation: Notation;
let acme: TestPki;
let other: TestPki;
let selfSigned: string;
let configFile: string;
let work: string;

const trustedIdentity = 'x509.subject: C=US, ST=WA, O=acme';
const strictIdentity = 'x509.subject: C=US, ST=WA, O=acme, CN=build-service';

async function pushImage(repository: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(work, 'layer-'));
  await writeFile(join(dir, 'app.txt'), content);
  const tar = join(dir, 'layer.tar');
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => execFile('tar', ['-cf', tar, '-C', dir, 'app.txt'], (err) => (err ? reject(err) : resolve())));
  await crane('append', '-f', tar, '-t', `${registry.host}/${repository}:v1`);
  return crane('digest', `${registry.host}/${repository}:v1`);
}

async function scan(repository: string) {
  const { asset, finding, unjudged } = verdictOn(await scanImage<Report>(registry.host, repository, configFile), 'IMG-007');
  return { image: asset.image!, finding, unjudged };
}

/** The signature artifact notation left behind the fallback tag, with its envelope. */
async function signatureOf(repo: string, digest: string) {
  const tag = `sha256-${digest.slice(7)}`;
  const index = await getJson(registry.host, repo, 'manifests', tag);
  const entry = (index.manifests as { digest: string; size: number; artifactType?: string }[])[0]!;
  const manifest = await getJson(registry.host, repo, 'manifests', entry.digest);
  const layer = (manifest.layers as { mediaType: string; digest: string; size: number }[])[0]!;
  const envelope = await getJson(registry.host, repo, 'blobs', layer.digest);
  return { tag, index, entry, manifest, layer, envelope };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-notation-sigs-'));
  registry = await startRegistry({ kind: 'none' });
  crane = await craneFor(registry.host);
  notation = await notationFor();
  acme = await notation.makePki('acme', '/C=US/ST=WA/L=Seattle/O=acme/CN=release');
  other = await notation.makePki('other', '/C=US/ST=WA/L=Seattle/O=acme/CN=release');
  // Last: generate-test adds its key to the signing keys the PKIs above wrote.
  selfSigned = await notation.generateTest('quickstart.example');
  configFile = join(work, 'posture.yaml');
  await writeFile(
    configFile,
    [
      'supplyChain:',
      '  policies:',
      '    - name: build-service-only',
      `      match: ["${registry.host}/identity/**"]`,
      '      notation:',
      `        trustStore: [{ name: acme-ca, file: ${acme.caCert} }]`,
      `        trustedIdentities: ["${strictIdentity}"]`,
      '    - name: quickstart',
      `      match: ["${registry.host}/quickstart/**"]`,
      '      notation:',
      `        trustStore: [{ name: quickstart, file: ${selfSigned} }]`,
      '        trustedIdentities: ["x509.subject: C=US, ST=WA, O=Notary, CN=quickstart.example"]',
      '    - name: release',
      `      match: ["${registry.host}/signed/**", "${registry.host}/unsigned/**"]`,
      '      notation:',
      '        trustStore:',
      `          - name: acme-ca`,
      `            pem: ${JSON.stringify(await readFile(acme.caCert, 'utf8'))}`,
      `        trustedIdentities: ["${trustedIdentity}"]`,
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  await registry?.stop();
});

describe('IMG-007 with real notation signatures', () => {
  it('an image signed under the trusted CA passes, as notation verify agrees', async () => {
    const repo = 'signed/good';
    const digest = await pushImage(repo, 'good');
    const ref = `${registry.host}/${repo}@${digest}`;
    await notation.sign(ref, acme);
    expect((await notation.verify(ref, acme, [trustedIdentity])).ok).toBe(true);

    const { finding, unjudged, image } = await scan(repo);
    expect(finding).toBeUndefined();
    expect(unjudged).toBeUndefined();
    expect(image.signatures).toEqual([
      expect.objectContaining({ verified: true, format: 'notation-jws', foundBy: 'referrers-tag', signer: { kind: 'x509', subject: 'C=US, ST=WA, L=Seattle, O=acme, CN=release', trustedCertificate: 'acme-ca' } }),
    ]);
  });

  it('an image signed with the self-signed certificate of notation cert generate-test passes (the README quick start)', async () => {
    const repo = 'quickstart/app';
    const digest = await pushImage(repo, 'quickstart');
    await notation.sign(`${registry.host}/${repo}@${digest}`, 'quickstart.example');

    const { finding, unjudged, image } = await scan(repo);
    expect(finding).toBeUndefined();
    expect(unjudged).toBeUndefined();
    expect(image.signatures).toEqual([expect.objectContaining({ verified: true, signer: expect.objectContaining({ trustedCertificate: 'quickstart' }) })]);
  });

  it('an unsigned image fails, naming where signatures were looked for', async () => {
    const repo = 'unsigned/app';
    const digest = await pushImage(repo, 'unsigned');
    expect((await notation.verify(`${registry.host}/${repo}@${digest}`, acme, [trustedIdentity])).ok).toBe(false);

    const { finding } = await scan(repo);
    expect(finding?.message).toContain('has no signature (policy release');
    expect(finding?.message).toContain(`referrers tag sha256-${digest.slice(7)}`);
  });

  it('an image signed under another CA fails as untrusted-certificate', async () => {
    const repo = 'signed/other-ca';
    const digest = await pushImage(repo, 'other ca');
    const ref = `${registry.host}/${repo}@${digest}`;
    await notation.sign(ref, other);
    expect((await notation.verify(ref, acme, [trustedIdentity])).ok).toBe(false);
    expect((await notation.verify(ref, other, [trustedIdentity])).ok).toBe(true);

    const { finding, image } = await scan(repo);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['untrusted-certificate']);
    expect(finding?.message).toContain('under the chain rooted at "C=US, ST=WA, O=other, CN=other test CA", which contains none of the trust store\'s certificates ("acme-ca")');
  });

  it('an envelope whose signed payload was altered fails as signature-invalid', async () => {
    const repo = 'signed/tampered';
    const digest = await pushImage(repo, 'tampered');
    const ref = `${registry.host}/${repo}@${digest}`;
    await notation.sign(ref, acme);
    // The attacker adds an annotation to the signed descriptor, keeps the signature, and repoints the fallback tag.
    const sig = await signatureOf(repo, digest);
    const payload = JSON.parse(Buffer.from(sig.envelope.payload as string, 'base64url').toString('utf8')) as { targetArtifact: { annotations?: Record<string, string> } };
    payload.targetArtifact.annotations = { approved: 'yes' };
    sig.envelope.payload = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const envelopeBytes = Buffer.from(JSON.stringify(sig.envelope));
    sig.layer.digest = await putBlob(registry.host, repo, envelopeBytes);
    sig.layer.size = envelopeBytes.length;
    const manifestBytes = Buffer.from(JSON.stringify(sig.manifest));
    sig.entry.digest = await putManifest(registry.host, repo, digestOf(manifestBytes), manifestBytes, 'application/vnd.oci.image.manifest.v1+json');
    sig.entry.size = manifestBytes.length;
    await putManifest(registry.host, repo, sig.tag, Buffer.from(JSON.stringify(sig.index)), 'application/vnd.oci.image.index.v1+json');
    expect((await notation.verify(ref, acme, [trustedIdentity])).ok).toBe(false);

    const { finding, image } = await scan(repo);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['signature-invalid']);
    expect(finding?.message).toContain('the envelope signature does not verify under its signing certificate');
  });

  it('a signature made for another image fails as subject-mismatch', async () => {
    const repo = 'signed/copied';
    const signedDigest = await pushImage(repo, 'the signed one');
    await notation.sign(`${registry.host}/${repo}@${signedDigest}`, acme);
    const victim = await pushImage(repo, 'the one the attacker wants trusted');
    // The signed image's fallback index, copied to the victim's fallback tag: the victim now lists a trusted signature.
    await crane('copy', `${registry.host}/${repo}:sha256-${signedDigest.slice(7)}`, `${registry.host}/${repo}:sha256-${victim.slice(7)}`);
    expect((await notation.verify(`${registry.host}/${repo}@${victim}`, acme, [trustedIdentity])).ok).toBe(false);

    const { finding, image } = await scan(repo);
    expect(image.digest).toBe(victim);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['subject-mismatch']);
    expect(finding?.message).toContain(`for ${signedDigest}, not for this image (${victim})`);
  });

  it('a signing certificate outside the trusted identities fails as untrusted-identity', async () => {
    const repo = 'identity/app';
    const digest = await pushImage(repo, 'identity');
    const ref = `${registry.host}/${repo}@${digest}`;
    await notation.sign(ref, acme);
    expect((await notation.verify(ref, acme, [strictIdentity])).ok).toBe(false);
    expect((await notation.verify(ref, acme, ['x509.subject: C=US, ST=WA, O=acme, CN=release'])).ok).toBe(true);

    const { finding, image } = await scan(repo);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['untrusted-identity']);
    expect(finding?.message).toContain(`signed by "C=US, ST=WA, L=Seattle, O=acme, CN=release" (chain to trust store certificate "acme-ca"), which matches none of the trusted identities "${strictIdentity}"`);
  });

  it('a COSE envelope (notation sign --signature-format cose) under the trusted CA passes, as notation verify agrees', async () => {
    const repo = 'signed/cose';
    const digest = await pushImage(repo, 'cose');
    const ref = `${registry.host}/${repo}@${digest}`;
    await notation.sign(ref, acme, { format: 'cose' });
    expect((await notation.verify(ref, acme, [trustedIdentity])).ok).toBe(true);

    const { finding, unjudged, image } = await scan(repo);
    expect(finding).toBeUndefined();
    expect(unjudged).toBeUndefined();
    expect(image.signatures).toEqual([expect.objectContaining({ format: 'notation-cose', verified: true, signer: expect.objectContaining({ trustedCertificate: 'acme-ca' }) })]);
  });

  it('a COSE envelope whose signature bytes were altered fails as signature-invalid', async () => {
    const repo = 'signed/cose-tampered';
    const digest = await pushImage(repo, 'cose tampered');
    const ref = `${registry.host}/${repo}@${digest}`;
    await notation.sign(ref, acme, { format: 'cose' });
    // Flip the last byte of the envelope: the last byte of the COSE signature.
    const tag = `sha256-${digest.slice(7)}`;
    const index = await getJson(registry.host, repo, 'manifests', tag);
    const entry = (index.manifests as { digest: string; size: number }[])[0]!;
    const manifest = await getJson(registry.host, repo, 'manifests', entry.digest);
    const layer = (manifest.layers as { digest: string; size: number }[])[0]!;
    const res = await fetch(`http://${registry.host}/v2/${repo}/blobs/${layer.digest}`);
    const envelope = Buffer.from(await res.arrayBuffer());
    envelope[envelope.length - 1]! ^= 0xff;
    layer.digest = await putBlob(registry.host, repo, envelope);
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    entry.digest = await putManifest(registry.host, repo, digestOf(manifestBytes), manifestBytes, 'application/vnd.oci.image.manifest.v1+json');
    entry.size = manifestBytes.length;
    await putManifest(registry.host, repo, tag, Buffer.from(JSON.stringify(index)), 'application/vnd.oci.image.index.v1+json');
    expect((await notation.verify(ref, acme, [trustedIdentity])).ok).toBe(false);

    const { finding, image } = await scan(repo);
    expect(image.signatures?.map((s) => [s.format, s.problem?.code])).toEqual([['notation-cose', 'signature-invalid']]);
    expect(finding?.message).toContain('the envelope signature does not verify under its signing certificate');
  });
});
