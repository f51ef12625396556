// IMG-007 with AWS KMS keys: real cosign signs with `--key awskms:///alias/…` against KMS on moto (the real
// AWS SDK in cosign; moto taught to sign a DIGEST message as KMS does, moto_kms_digest.py), and posture
// fetches the public key with the real AWS SDK v3 KMS client (GetPublicKey) from the same moto. Verdicts
// are checked against `cosign verify --key awskms://…`. A KMS that cannot be reached leaves IMG-007 not
// evaluated, with the reason: never passed, never failed.
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { craneFor, type Crane } from '../oci/support/crane.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { freePort } from '../standins/free-port.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { cosignFor, type Cosign, type CosignKeyPair } from './support/cosign.ts';
import { pushOneFileImage, verdictOn } from './support/signing-lab.ts';

interface Report {
  assets: { id: string; kind: string; image?: { signatures?: { verified: boolean; signer: unknown; problem: { code: string } | null }[] } }[];
  findings: { ruleId: string; assetId: string; message: string }[];
  unjudged: { ruleId: string; assetId: string; reason: string; detail: string }[];
  errors: { message: string }[];
}

let moto: MotoServer;
let registry: RunningRegistry;
let crane: Crane;
let cosign: Cosign;
let work: string;
let configFile: string;
const savedEnv = { ...process.env };
const release = 'awskms:///alias/posture-release';
const stranger = 'awskms:///alias/someone-else';
/** cosign takes a KMS reference wherever it takes a key file. */
const kmsKey = (ref: string): CosignKeyPair => ({ dir: '', privateKey: ref, publicKey: ref });

const pushImage = (repository: string) => pushOneFileImage(crane, registry.host, work, repository, repository);

async function scan(repository: string, config = configFile) {
  const run = await runCli(['scan', `oci://${registry.host}/${repository}:v1`, '--insecure-registry', registry.host, '--config', config, '--format', 'json', '--no-history']);
  expect(run.code, run.stderr).toBeLessThan(2);
  const report = JSON.parse(run.stdout) as Report;
  const { asset, finding, unjudged } = verdictOn(report, 'IMG-007');
  return { signatures: asset.image?.signatures, finding, unjudged, incomplete: verdictOn(report, 'IMG-014').finding };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-kms-'));
  [moto, registry] = await Promise.all([startMoto({ kmsDigest: true }), startRegistry({ kind: 'none' })]);
  crane = await craneFor(registry.host);
  // Both cosign (Go SDK) and posture (JS SDK v3) find KMS the way they would find AWS: from the environment.
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: moto.clientConfig.region, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  delete process.env.AWS_PROFILE;
  cosign = await cosignFor();
  const kms = new KMSClient(moto.clientConfig);
  for (const alias of ['alias/posture-release', 'alias/someone-else']) {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyMetadata!.KeyId! }));
  }
  configFile = join(work, 'posture.yaml');
  await writeFile(configFile, ['supplyChain:', '  policies:', '    - name: release', `      match: ["${registry.host}/kms/**"]`, '      cosign:', `        keys: [{ name: release-kms, kms: "${release}" }]`].join('\n'));
}, 180_000);

afterAll(async () => {
  process.env = savedEnv;
  await Promise.allSettled([moto?.stop(), registry?.stop()]);
});

describe('IMG-007 with an AWS KMS key', () => {
  it.each(['bundle', 'legacy'] as const)('an image cosign signed with the KMS key (%s form) passes, as cosign verify agrees', async (form) => {
    const repo = `kms/signed-${form}`;
    const digest = await pushImage(repo);
    await cosign.sign(`${registry.host}/${repo}@${digest}`, kmsKey(release), form);
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, kmsKey(release))).ok).toBe(true);

    const { signatures, finding, unjudged } = await scan(repo);
    expect(finding).toBeUndefined();
    expect(unjudged).toBeUndefined();
    expect(signatures).toEqual([expect.objectContaining({ verified: true, signer: { kind: 'key', key: 'release-kms' } })]);
  });

  it('an image signed with another KMS key fails as untrusted-key', async () => {
    const repo = 'kms/other-key';
    const digest = await pushImage(repo);
    await cosign.sign(`${registry.host}/${repo}@${digest}`, kmsKey(stranger), 'bundle');
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, kmsKey(release))).ok).toBe(false);
    expect((await cosign.verify(`${registry.host}/${repo}@${digest}`, kmsKey(stranger))).ok).toBe(true);

    const { signatures, finding } = await scan(repo);
    expect(signatures?.map((s) => s.problem?.code)).toEqual(['untrusted-key']);
    expect(finding?.message).toContain('untrusted-key');
  });

  it('with KMS unreachable, a KMS-signed image is not evaluated, naming why: neither passed nor failed', async () => {
    const repo = 'kms/unreachable';
    const digest = await pushImage(repo);
    await cosign.sign(`${registry.host}/${repo}@${digest}`, kmsKey(release), 'bundle');
    const closed = await freePort(); // nothing listens there
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${closed}`;
    try {
      const { signatures, finding, unjudged, incomplete } = await scan(repo);
      expect(finding).toBeUndefined();
      expect(signatures).toBeUndefined();
      expect(unjudged).toBeDefined();
      expect(incomplete?.message).toContain('signatures-unreadable');
      expect(incomplete?.message).toContain(`supplyChain key "release-kms" (${release}): KMS GetPublicKey failed`);
    } finally {
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
    }
  });

  it.each(['gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k', 'azurekms://vault.vault.azure.net/key', 'hashivault://transit-key'])('a %s reference is a configuration error naming the scheme (exit 2)', async (ref) => {
    const config = join(work, `other-kms-${ref.split(':')[0]}.yaml`);
    await writeFile(config, ['supplyChain:', '  policies:', '    - name: p', '      match: ["**"]', '      cosign:', `        keys: [{ name: k, kms: "${ref}" }]`].join('\n'));
    const run = await runCli(['scan', 'samples/aws/ecs-task-definition-web.json', '--config', config, '--format', 'json', '--no-history']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${ref.split(':')[0]}:// keys are not supported (posture reads awskms:// keys)`);
  });
});
