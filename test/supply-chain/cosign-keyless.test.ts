// Keyless IMG-007 against a private Sigstore deployment made at test time (support/private-sigstore.ts): our
// own CA issues short-lived leaves with Fulcio's identity extensions, real cosign signs images with them
// (bundle form, no upload), and our own transparency log records each signature as Rekor would (dsse entry,
// signed entry timestamp, inclusion proof under a signed checkpoint). Every verdict is checked against
// `cosign verify --trusted-root … --certificate-identity … --certificate-oidc-issuer …` on the same image:
// expected values come from cosign agreeing, and the reason from what each case did.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { craneFor, type Crane } from '../oci/support/crane.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { cosignFor, type Cosign } from './support/cosign.ts';
import { certificateAuthority, tempDir, transparencyLog, type CertificateAuthority, type DsseBody, type SigstoreBundleJson, type TransparencyLog } from './support/private-sigstore.ts';
import { fallbackLayer } from './support/registry-writes.ts';
import { pushOneFileImage, scanImage, verdictOn } from './support/signing-lab.ts';

const workflow = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const actions = 'https://token.actions.githubusercontent.com';
const identityPattern = '^https://github\\.com/acme/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main$';

interface Report {
  assets: { id: string; kind: string; image?: { digest: string; signatures?: { verified: boolean; signer: unknown; problem: { code: string; message: string } | null }[] } }[];
  findings: { ruleId: string; assetId: string; message: string }[];
  unjudged: { ruleId: string; assetId: string }[];
  errors: { message: string }[];
}

let registry: RunningRegistry;
let crane: Crane;
let cosign: Cosign;
let work: string;
let ca: CertificateAuthority;
let foreignCa: CertificateAuthority;
let log: TransparencyLog;
let trustedRoot: string;
let configFile: string;

const pushImage = (repository: string) => pushOneFileImage(crane, registry.host, work, repository, `${repository} ${Math.random()}`);

/** Signs `repository@digest` with a fresh leaf from `from` naming `identity`/`issuer`, valid for ten minutes from now. */
async function signKeyless(repository: string, digest: string, options: { from?: CertificateAuthority; identity?: string; issuer?: string; chain?: boolean } = {}): Promise<void> {
  const now = Date.now();
  const leaf = await (options.from ?? ca).issue({ identity: options.identity ?? workflow, issuer: options.issuer ?? actions, notBefore: new Date(now - 60_000), notAfter: new Date(now + 10 * 60_000) });
  const key = await cosign.importKey(leaf.keyPem);
  await cosign.signWithCertificate(`${registry.host}/${repository}@${digest}`, key, leaf.certFile, options.chain ? leaf.chainFile : undefined);
}

/** The image's bundle behind the referrers fallback tag, and a way to put back a rewritten one (repointing the tag). */
async function bundleOf(repository: string, digest: string): Promise<{ bundle: SigstoreBundleJson; replace(bundle: SigstoreBundleJson): Promise<void> }> {
  const { content, replace } = await fallbackLayer<SigstoreBundleJson>(registry.host, repository, digest);
  return { bundle: content, replace };
}

/** The log records the image's signature (as Rekor would on upload), integrated at `at`. */
async function logSignature(repository: string, digest: string, at = new Date(), recorded?: SigstoreBundleJson, tamper?: (body: DsseBody) => void): Promise<void> {
  const { bundle, replace } = await bundleOf(repository, digest);
  bundle.verificationMaterial.tlogEntries = [log.logEntry(recorded ?? bundle, at, tamper)];
  await replace(bundle);
}

async function scan(repository: string) {
  const { asset, finding, unjudged } = verdictOn(await scanImage<Report>(registry.host, repository, configFile), 'IMG-007');
  return { signatures: asset.image!.signatures ?? [], finding, unjudged };
}

const cosignVerdict = (repository: string, digest: string, identity = workflow, issuer = actions) =>
  cosign.verifyKeyless(`${registry.host}/${repository}@${digest}`, { trustedRoot, identity, issuer });

beforeAll(async () => {
  work = await tempDir('posture-keyless-');
  [registry, cosign, ca, foreignCa] = await Promise.all([startRegistry({ kind: 'none' }), cosignFor(), certificateAuthority(await tempDir('posture-ca-'), 'posture-private'), certificateAuthority(await tempDir('posture-ca-'), 'someone-else')]);
  crane = await craneFor(registry.host);
  log = transparencyLog();
  // The deployment's trusted root names our CA and log only (the other CA is real but not trusted here),
  // written by cosign itself from the CA chain and the log's public key, as an operator would.
  await writeFile(join(work, 'fulcio-chain.pem'), ca.intermediatePem + ca.rootPem);
  await writeFile(join(work, 'rekor.pub'), log.publicKey.export({ type: 'spki', format: 'pem' }));
  trustedRoot = await cosign.trustedRootCreate(join(work, 'trusted_root.json'), { fulcioUrl: 'https://fulcio.posture.test', chainFile: join(work, 'fulcio-chain.pem'), rekorUrl: log.baseUrl, rekorKeyFile: join(work, 'rekor.pub') });
  configFile = join(work, 'posture.yaml');
  await writeFile(
    configFile,
    [
      'supplyChain:',
      '  policies:',
      '    - name: keyless-release',
      `      match: ["${registry.host}/keyless/**"]`,
      '      cosign:',
      '        keyless:',
      `          trustedRoot: ${trustedRoot}`,
      '          requireSct: false',
      '          identities:',
      `            - { identity: "${workflow}", issuer: "${actions}" }`,
      '    - name: keyless-regexp',
      `      match: ["${registry.host}/pattern/**"]`,
      '      cosign:',
      '        keyless:',
      `          trustedRoot: ${trustedRoot}`,
      '          requireSct: false',
      '          identities:',
      `            - { identityRegExp: '${identityPattern}', issuer: "${actions}" }`,
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  await registry?.stop();
});

describe('keyless IMG-007 under a private trusted root', () => {
  it.each([
    ['leaf certificate only', false],
    ['certificate chain in the bundle', true],
  ])('a signature by the allowed identity and issuer, logged, passes (%s), as cosign verify agrees', async (_label, chain) => {
    const repo = `keyless/good-${chain ? 'chain' : 'leaf'}`;
    const digest = await pushImage(repo);
    await signKeyless(repo, digest, { chain });
    await logSignature(repo, digest);
    const agreed = await cosignVerdict(repo, digest);
    expect(agreed.ok, agreed.output).toBe(true);
    expect(agreed.output).toContain('Existence of the claims in the transparency log was verified offline');

    const { signatures, finding, unjudged } = await scan(repo);
    expect(finding).toBeUndefined();
    expect(unjudged).toBeUndefined();
    expect(signatures).toEqual([expect.objectContaining({ verified: true, signer: { kind: 'keyless', identity: workflow, issuer: actions } })]);
  });

  it('an identity matched by a regular expression passes, as cosign --certificate-identity-regexp agrees', async () => {
    const repo = 'pattern/app';
    const digest = await pushImage(repo);
    await signKeyless(repo, digest);
    await logSignature(repo, digest);
    const agreed = await cosign.verifyKeyless(`${registry.host}/${repo}@${digest}`, { trustedRoot, identity: identityPattern, identityRegExp: true, issuer: actions });
    expect(agreed.ok, agreed.output).toBe(true);
    const { finding, signatures } = await scan(repo);
    expect(finding).toBeUndefined();
    expect(signatures.map((s) => s.verified)).toEqual([true]);
  });

  it('another identity from the same issuer fails as untrusted-identity, naming the identity', async () => {
    const repo = 'keyless/other-identity';
    const digest = await pushImage(repo);
    const evil = 'https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main';
    await signKeyless(repo, digest, { identity: evil });
    await logSignature(repo, digest);
    const agreed = await cosignVerdict(repo, digest);
    expect(agreed.ok).toBe(false);
    expect((await cosignVerdict(repo, digest, evil)).ok).toBe(true); // the signature itself is sound

    const { finding, signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['untrusted-identity']);
    expect(finding?.message).toContain(`signed by "${evil}" from issuer "${actions}": its identity is not allowed`);
  });

  it('the allowed identity from another OIDC issuer fails as untrusted-identity, naming the issuer', async () => {
    const repo = 'keyless/other-issuer';
    const digest = await pushImage(repo);
    await signKeyless(repo, digest, { issuer: 'https://accounts.google.com' });
    await logSignature(repo, digest);
    expect((await cosignVerdict(repo, digest)).ok).toBe(false);
    expect((await cosignVerdict(repo, digest, workflow, 'https://accounts.google.com')).ok).toBe(true);

    const { finding, signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['untrusted-identity']);
    expect(finding?.message).toContain('from issuer "https://accounts.google.com": its OIDC issuer is not allowed');
  });

  it('a certificate from a CA the trusted root does not name fails as untrusted-certificate', async () => {
    const repo = 'keyless/foreign-ca';
    const digest = await pushImage(repo);
    await signKeyless(repo, digest, { from: foreignCa, chain: true });
    await logSignature(repo, digest);
    expect((await cosignVerdict(repo, digest)).ok).toBe(false);

    const { finding, signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['untrusted-certificate']);
    expect(finding?.message).toContain(`its certificate does not chain to a certificate authority of the trusted root ${trustedRoot}`);
  });

  it('a signature no transparency log recorded fails as tlog-missing when the policy requires one', async () => {
    const repo = 'keyless/unlogged';
    const digest = await pushImage(repo);
    await signKeyless(repo, digest);
    expect((await cosignVerdict(repo, digest)).ok).toBe(false);
    // Without the log requirement cosign accepts it: the log entry is the only thing missing.
    expect((await cosign.verifyKeyless(`${registry.host}/${repo}@${digest}`, { trustedRoot, identity: workflow, issuer: actions, ignoreTlog: true })).ok).toBe(true);

    const { finding, signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['tlog-missing']);
    expect(finding?.message).toContain('has no transparency-log entry, and the policy requires one');
  });

  it("a log entry recording another image's signature fails as tlog-invalid", async () => {
    const repo = 'keyless/borrowed-entry';
    const [digest, otherDigest] = [await pushImage(repo), await pushImage('keyless/donor')];
    await signKeyless(repo, digest);
    await signKeyless('keyless/donor', otherDigest);
    // A genuine, log-signed entry, but for the donor's signature and payload.
    const donor = (await bundleOf('keyless/donor', otherDigest)).bundle;
    await logSignature(repo, digest, new Date(), donor);
    expect((await cosignVerdict(repo, digest)).ok).toBe(false);

    const { finding, signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['tlog-invalid']);
    expect(finding?.message).toContain('its transparency-log entry records another signature or payload, not this one');
  });

  it('a log entry whose recorded payload hash was altered no longer matches its signed timestamp or proof: tlog-invalid', async () => {
    const repo = 'keyless/altered-entry';
    const digest = await pushImage(repo);
    await signKeyless(repo, digest);
    const { bundle, replace } = await bundleOf(repo, digest);
    const entry = log.logEntry(bundle, new Date());
    // The attacker edits the body after the log signed it (a payload hash of their choosing).
    const body = JSON.parse(Buffer.from(entry.canonicalizedBody as string, 'base64').toString('utf8')) as DsseBody;
    body.spec.payloadHash.value = '00'.repeat(32);
    entry.canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    bundle.verificationMaterial.tlogEntries = [entry];
    await replace(bundle);
    expect((await cosignVerdict(repo, digest)).ok).toBe(false);

    const { signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['tlog-invalid']);
  });

  it('a certificate that had expired when the log integrated the signature fails as expired', async () => {
    const repo = 'keyless/expired';
    const digest = await pushImage(repo);
    await signKeyless(repo, digest);
    // Logged an hour after signing: past the ten-minute certificate's notAfter.
    await logSignature(repo, digest, new Date(Date.now() + 60 * 60_000));
    expect((await cosignVerdict(repo, digest)).ok).toBe(false);

    const { finding, signatures } = await scan(repo);
    expect(signatures.map((s) => s.problem?.code)).toEqual(['expired']);
    expect(finding?.message).toContain('its certificate was not valid at the time the signature was logged or timestamped');
  });
});

describe('keyless configuration', () => {
  it('a trusted root that is not one is a configuration error naming the file (exit 2)', async () => {
    const bad = join(work, 'not-a-root.json');
    await writeFile(bad, 'certificateAuthorities: not JSON at all');
    const config = join(work, 'bad-root.yaml');
    await writeFile(config, ['supplyChain:', '  policies:', '    - name: p', '      match: ["**"]', '      cosign:', '        keyless:', `          trustedRoot: ${bad}`, '          identities: [{ identity: a, issuer: b }]'].join('\n'));
    const run = await runCli(['scan', 'samples/aws/ecs-task-definition-web.json', '--config', config, '--format', 'json', '--no-history']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`supplyChain policy "p" keyless.trustedRoot (${bad}): not a Sigstore trusted root`);
  });

  it('an identity with both an exact value and a pattern is refused at load', async () => {
    const config = join(work, 'bad-identity.yaml');
    await writeFile(config, ['supplyChain:', '  policies:', '    - name: p', '      match: ["**"]', '      cosign:', '        keyless:', `          trustedRoot: ${trustedRoot}`, '          identities: [{ identity: a, identityRegExp: "a.*", issuer: b }]'].join('\n'));
    const run = await runCli(['scan', 'samples/aws/ecs-task-definition-web.json', '--config', config, '--format', 'json', '--no-history']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exactly one of identity or identityRegExp');
  });
});
