// IMG-007 against real cosign v3 signatures in a real registry (the CNCF distribution registry, which has
// no referrers API, so cosign's bundle lands behind the fallback tag sha256-<hex>). Every verdict is checked
// against cosign's own `cosign verify` on the same image and key, and the reason against what was done.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crane } from '../oci/support/crane.ts';
import type { RunningRegistry } from '../oci/support/registry-server.ts';
import type { Cosign, CosignKeyPair } from './support/cosign.ts';
import { digestOf, fallbackLayer, putBlob, putManifest } from './support/registry-writes.ts';
import { startSigningLab, verdictOn, type SigningLab } from './support/signing-lab.ts';

interface Report {
  assets: { id: string; kind: string; image?: { digest: string; signatures?: { verified: boolean; format: string; foundBy: string; problem: { code: string; message: string } | null }[] } }[];
  findings: { ruleId: string; assetId: string; message: string }[];
  unjudged: { ruleId: string; assetId: string; reason: string; detail: string }[];
  errors: { message: string }[];
}

let lab: SigningLab;
let registry: RunningRegistry;
let crane: Crane;
let cosign: Cosign;
let trusted: CosignKeyPair;
let other: CosignKeyPair;
let configFile: string;
const pushImage = (repository: string, content: string) => lab.pushImage(repository, content);

async function scan(repository: string): Promise<{ report: Report; img007: { finding?: Report['findings'][number]; unjudged?: Report['unjudged'][number] }; image: NonNullable<Report['assets'][number]['image']> }> {
  const report = await lab.scan<Report>(repository, configFile);
  const { asset, finding, unjudged } = verdictOn(report, 'IMG-007');
  return { report, image: asset.image!, img007: { finding, unjudged } };
}

beforeAll(async () => {
  lab = await startSigningLab('posture-sigs-');
  ({ registry, crane, cosign, trusted, other } = lab);
  configFile = join(lab.work, 'posture.yaml');
  await writeFile(
    configFile,
    [
      'supplyChain:',
      '  policies:',
      '    - name: release',
      `      match: ["${registry.host}/signed/**", "${registry.host}/unsigned/**"]`,
      '      cosign:',
      '        keys:',
      `          - { name: release, file: ${trusted.publicKey} }`,
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await lab?.stop();
});

describe('IMG-007 with real cosign signatures', () => {
  it.each(['bundle', 'legacy'] as const)('an image signed with the trusted key (%s form) passes, as cosign verify agrees', async (form) => {
    const repo = `signed/good-${form}`;
    const digest = await pushImage(repo, `good ${form}`);
    await cosign.sign(`${registry.host}/${repo}@${digest}`, trusted, form);
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, trusted)).ok).toBe(true);

    const { img007, image } = await scan(repo);
    expect(img007.finding).toBeUndefined();
    expect(img007.unjudged).toBeUndefined();
    expect(image.signatures).toEqual([
      expect.objectContaining({ verified: true, format: form === 'bundle' ? 'sigstore-bundle' : 'cosign-simple-signing', foundBy: form === 'bundle' ? 'referrers-tag' : 'cosign-tag' }),
    ]);
  });

  it('an unsigned image fails, naming where signatures were looked for', async () => {
    const repo = 'unsigned/app';
    const digest = await pushImage(repo, 'unsigned');
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, trusted)).ok).toBe(false);

    const { img007 } = await scan(repo);
    expect(img007.finding?.message).toContain('has no signature (policy release');
    expect(img007.finding?.message).toContain(`sha256-${digest.slice(7)}.sig`);
  });

  it.each(['bundle', 'legacy'] as const)('an image signed with another key (%s form) fails as untrusted-key', async (form) => {
    const repo = `signed/other-key-${form}`;
    const digest = await pushImage(repo, `other ${form}`);
    await cosign.sign(`${registry.host}/${repo}@${digest}`, other, form);
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, trusted)).ok).toBe(false);
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, other)).ok).toBe(true);

    const { img007, image } = await scan(repo);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['untrusted-key']);
    expect(img007.finding?.message).toContain('untrusted-key');
    // The bundle names its key by hint, so the reason can say it is not a configured one.
    if (form === 'bundle') expect(img007.finding?.message).toMatch(/signed with the key whose hint is \S+, which is not a configured key/);
  });

  it('a bundle whose signed statement was altered fails as signature-invalid', async () => {
    const repo = 'signed/tampered-bundle';
    const digest = await pushImage(repo, 'tampered bundle');
    await cosign.sign(`${registry.host}/${repo}@${digest}`, trusted, 'bundle');
    // The attacker rewrites the statement (adds an annotation) and keeps the signature, then repoints the fallback tag.
    const { content: bundle, replace } = await fallbackLayer(registry.host, repo, digest);
    const envelope = bundle.dsseEnvelope as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { subject: { annotations?: Record<string, string> }[] };
    statement.subject[0]!.annotations = { approved: 'yes' };
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    await replace(bundle);
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, trusted)).ok).toBe(false);

    const { img007, image } = await scan(repo);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['signature-invalid']);
    expect(img007.finding?.message).toContain('names the configured key "release", but its signature does not verify under it');
  });

  it('a legacy signature copied from another image fails as subject-mismatch', async () => {
    const repo = 'signed/copied-legacy';
    const signedDigest = await pushImage(repo, 'the signed one');
    await cosign.sign(`${registry.host}/${repo}@${signedDigest}`, trusted, 'legacy');
    const victim = await pushImage(repo, 'the one the attacker wants trusted');
    await crane('copy', `${registry.host}/${repo}:sha256-${signedDigest.slice(7)}.sig`, `${registry.host}/${repo}:sha256-${victim.slice(7)}.sig`);
    expect((await cosign.verify(`${registry.host}/${repo}@${victim}`, trusted)).ok).toBe(false);

    const { img007, image } = await scan(repo);
    expect(image.digest).toBe(victim);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['subject-mismatch']);
    expect(img007.finding?.message).toContain(`for ${signedDigest}, not for this image (${victim})`);
  });

  it('a bundle that is not a bundle fails as malformed, naming the artifact', async () => {
    const repo = 'signed/garbage-bundle';
    const digest = await pushImage(repo, 'garbage bundle');
    const junk = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":"nope"}');
    const config = Buffer.from('{}');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: await putBlob(registry.host, repo, config), size: config.length },
        layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: await putBlob(registry.host, repo, junk), size: junk.length }],
      }),
    );
    const artifact = await putManifest(registry.host, repo, digestOf(manifest), manifest, 'application/vnd.oci.image.manifest.v1+json');
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: artifact, size: manifest.length, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }] };
    await putManifest(registry.host, repo, `sha256-${digest.slice(7)}`, Buffer.from(JSON.stringify(index)), 'application/vnd.oci.image.index.v1+json');

    const { img007, image } = await scan(repo);
    expect(image.signatures?.map((s) => s.problem?.code)).toEqual(['malformed']);
    expect(img007.finding?.message).toContain(`${registry.host}/${repo}@${artifact}: not a Sigstore bundle`);
  });

  it('a fallback index listing more signatures than the budget is not judged: IMG-007 not evaluated, IMG-014 names why', async () => {
    const repo = 'signed/flooded';
    const digest = await pushImage(repo, 'flooded');
    // The registry accepts an index only of manifests it holds: 65 entries naming the image's own manifest.
    const size = Buffer.byteLength(await crane('manifest', `${registry.host}/${repo}@${digest}`));
    const manifests = Array.from({ length: 65 }, () => ({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest, size, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }));
    await putManifest(registry.host, repo, `sha256-${digest.slice(7)}`, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })), 'application/vnd.oci.image.index.v1+json');

    const { report, img007, image } = await scan(repo);
    expect(image.signatures).toBeUndefined();
    expect(img007.finding).toBeUndefined();
    expect(img007.unjudged).toBeDefined();
    const incomplete = report.findings.find((f) => f.ruleId === 'IMG-014');
    expect(incomplete?.message).toContain('signatures-unreadable');
    expect(incomplete?.message).toContain('over the limit of 64 (supplyChain.limits.maxReferrers)');
  });

  it('an image no policy covers is not evaluated, never passed', async () => {
    const repo = 'elsewhere/app';
    await pushImage(repo, 'no policy');
    const { img007, image } = await scan(repo);
    expect(image.signatures).toBeUndefined();
    expect(img007.finding).toBeUndefined();
    expect(img007.unjudged?.reason).toBeDefined();
  });
});
