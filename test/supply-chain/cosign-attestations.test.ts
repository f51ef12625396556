// IMG-016 (SLSA provenance from an allowed builder and source) and IMG-017 (signed SBOM) against real cosign
// v3 attestations in the test registry, in both forms (a Sigstore bundle behind the referrers fallback tag,
// and the legacy .att DSSE tag). Where cosign can say, its own verify-attestation verdict is checked too.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../oci/support/registry-server.ts';
import type { Cosign, CosignKeyPair } from './support/cosign.ts';
import { startSigningLab, verdictOn, type SigningLab } from './support/signing-lab.ts';

interface Report {
  assets: { id: string; kind: string }[];
  findings: { ruleId: string; assetId: string; message: string }[];
  unjudged: { ruleId: string; assetId: string }[];
  errors: { message: string }[];
}

let lab: SigningLab;
let registry: RunningRegistry;
let cosign: Cosign;
let trusted: CosignKeyPair;
let other: CosignKeyPair;
let configFile: string;
const predicates: Record<string, string> = {};
const pushImage = (repository: string, content: string) => lab.pushImage(repository, content);

/** IMG-016 and IMG-017 for the image: the finding's message, or 'pass' (neither finding nor unjudged). */
async function verdicts(repository: string): Promise<Record<'IMG-016' | 'IMG-017', string>> {
  const report = await lab.scan<Report>(repository, configFile);
  const verdict = (rule: string) => {
    const { finding, unjudged } = verdictOn(report, rule);
    return finding?.message ?? (unjudged ? 'not evaluated' : 'pass');
  };
  return { 'IMG-016': verdict('IMG-016'), 'IMG-017': verdict('IMG-017') };
}

function provenance(builder: string, repository: string): string {
  return JSON.stringify({
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: { workflow: { ref: 'refs/heads/main', repository, path: '.github/workflows/release.yml' } },
      resolvedDependencies: [{ uri: `git+${repository}@refs/heads/main`, digest: { gitCommit: '4b984b1aa0b6b4d4b5d6c2e1f2a3b4c5d6e7f8a9' } }],
    },
    runDetails: { builder: { id: builder }, metadata: { invocationId: '1' } },
  });
}

beforeAll(async () => {
  lab = await startSigningLab('posture-att-');
  ({ registry, cosign, trusted, other } = lab);
  const work = lab.work;
  const files = {
    good: provenance('https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', 'https://github.com/acme/app'),
    foreignBuilder: provenance('https://ci.example/runner', 'https://github.com/acme/app'),
    foreignSource: provenance('https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', 'https://github.com/evil/fork'),
    sbom: JSON.stringify({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'app', documentNamespace: 'https://example.com/spdx/app', creationInfo: { created: '2026-11-26T00:00:00Z', creators: ['Tool: test'] }, packages: [] }),
  };
  for (const [name, text] of Object.entries(files)) {
    predicates[name] = join(work, `${name}.json`);
    await writeFile(predicates[name]!, text);
  }
  configFile = join(work, 'posture.yaml');
  await writeFile(
    configFile,
    [
      'supplyChain:',
      '  policies:',
      '    - name: release',
      `      match: ["${registry.host}/**"]`,
      '      cosign:',
      `        keys: [{ name: release, file: ${trusted.publicKey} }]`,
      '      attestations:',
      '        provenance: { builders: ["https://github.com/acme/**"], sourceRepositories: ["https://github.com/acme/*"] }',
      '        sbom: true',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await lab?.stop();
});

describe('IMG-016 and IMG-017 with real cosign attestations', () => {
  it.each(['bundle', 'legacy'] as const)('provenance from the allowed builder and source, and an SBOM (%s form), pass', async (form) => {
    const repo = `app/good-${form}`;
    const ref = `${registry.host}/${repo}@${await pushImage(repo, `good ${form}`)}`;
    await cosign.attest(ref, trusted, 'slsaprovenance1', predicates.good!, form);
    await cosign.attest(ref, trusted, 'spdxjson', predicates.sbom!, form);
    expect(await cosign.verifyAttestation(ref, trusted, 'slsaprovenance1')).toBe(true);
    expect(await verdicts(repo)).toEqual({ 'IMG-016': 'pass', 'IMG-017': 'pass' });
  });

  it('provenance from another builder fails naming it; no SBOM fails', async () => {
    const repo = 'app/foreign-builder';
    const ref = `${registry.host}/${repo}@${await pushImage(repo, 'foreign builder')}`;
    await cosign.attest(ref, trusted, 'slsaprovenance1', predicates.foreignBuilder!, 'bundle');
    const v = await verdicts(repo);
    expect(v['IMG-016']).toContain('was not built by an allowed builder from allowed sources: builder https://ci.example/runner from https://github.com/acme/app');
    expect(v['IMG-017']).toContain('has no verified SBOM attestation');
  });

  it('provenance naming a source repository outside the policy fails', async () => {
    const repo = 'app/foreign-source';
    const ref = `${registry.host}/${repo}@${await pushImage(repo, 'foreign source')}`;
    await cosign.attest(ref, trusted, 'slsaprovenance1', predicates.foreignSource!, 'legacy');
    expect((await verdicts(repo))['IMG-016']).toContain('from https://github.com/evil/fork');
  });

  it('attestations signed with another key do not count, and say so', async () => {
    const repo = 'app/other-key';
    const ref = `${registry.host}/${repo}@${await pushImage(repo, 'other key')}`;
    await cosign.attest(ref, other, 'slsaprovenance1', predicates.good!, 'bundle');
    await cosign.attest(ref, other, 'spdxjson', predicates.sbom!, 'legacy');
    expect(await cosign.verifyAttestation(ref, trusted, 'slsaprovenance1')).toBe(false);
    const v = await verdicts(repo);
    expect(v['IMG-016']).toContain('has no verified SLSA provenance');
    expect(v['IMG-017']).toContain('rejected: https://slsa.dev/provenance/v1 (untrusted-key), https://spdx.dev/Document (untrusted-key)');
  });
});
