// What the cosign signature and attestation tests share: a registry without a referrers API (the CNCF
// distribution registry, so cosign's bundles land behind the fallback tag), crane to push images, the real
// cosign with a trusted and an untrusted key pair, and `posture scan` of one image as JSON.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../cli/helpers.ts';
import { craneFor, type Crane } from '../../oci/support/crane.ts';
import { startRegistry, type RunningRegistry } from '../../oci/support/registry-server.ts';
import { cosignFor, type Cosign, type CosignKeyPair } from './cosign.ts';

export interface SigningLab {
  registry: RunningRegistry;
  crane: Crane;
  cosign: Cosign;
  /** The key the policy trusts, and one it does not. */
  trusted: CosignKeyPair;
  other: CosignKeyPair;
  /** A scratch directory for the run. */
  work: string;
  /** A fresh single-layer image pushed by crane as <repository>:v1; its digest. */
  pushImage(repository: string, content: string): Promise<string>;
  /** `posture scan` of <repository>:v1 under the configuration file, as JSON; a collection error fails the test. */
  scan<Report extends { errors: unknown[] }>(repository: string, configFile: string): Promise<Report>;
  stop(): Promise<void>;
}

export async function startSigningLab(prefix: string): Promise<SigningLab> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  const registry = await startRegistry({ kind: 'none' });
  const crane = await craneFor(registry.host);
  const cosign = await cosignFor();
  const [trusted, other] = await Promise.all([cosign.generateKeyPair(), cosign.generateKeyPair()]);
  return {
    registry,
    crane,
    cosign,
    trusted,
    other,
    work,
    async pushImage(repository, content) {
      const dir = await mkdtemp(join(work, 'layer-'));
      await writeFile(join(dir, 'app.txt'), content);
      await new Promise<void>((resolve, reject) => execFile('tar', ['-cf', join(dir, 'layer.tar'), '-C', dir, 'app.txt'], (err) => (err ? reject(err) : resolve())));
      await crane('append', '-f', join(dir, 'layer.tar'), '-t', `${registry.host}/${repository}:v1`);
      return crane('digest', `${registry.host}/${repository}:v1`);
    },
    async scan<Report extends { errors: unknown[] }>(repository: string, configFile: string) {
      const run = await runCli(['scan', `oci://${registry.host}/${repository}:v1`, '--insecure-registry', registry.host, '--config', configFile, '--format', 'json', '--no-history']);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.errors, run.stderr).toEqual([]);
      return report;
    },
    stop: () => registry.stop(),
  };
}
