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

/** A fresh single-layer image (one file, app.txt, holding `content`) pushed by crane as <repository>:v1; its digest. */
export async function pushOneFileImage(crane: Crane, host: string, work: string, repository: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(work, 'layer-'));
  await writeFile(join(dir, 'app.txt'), content);
  await new Promise<void>((resolve, reject) => execFile('tar', ['-cf', join(dir, 'layer.tar'), '-C', dir, 'app.txt'], (err) => (err ? reject(err) : resolve())));
  await crane('append', '-f', join(dir, 'layer.tar'), '-t', `${host}/${repository}:v1`);
  return crane('digest', `${host}/${repository}:v1`);
}

/** `posture scan` of <host>/<repository>:v1 under the configuration file, as JSON; a collection error fails the test. */
export async function scanImage<Report extends { errors: unknown[] }>(host: string, repository: string, configFile: string): Promise<Report> {
  const run = await runCli(['scan', `oci://${host}/${repository}:v1`, '--insecure-registry', host, '--config', configFile, '--format', 'json', '--no-history']);
  const report = JSON.parse(run.stdout) as Report;
  expect(report.errors, run.stderr).toEqual([]);
  return report;
}

interface OneImageReport {
  assets: { id: string; kind: string }[];
  findings: { ruleId: string; assetId: string }[];
  unjudged: { ruleId: string; assetId: string }[];
}

/** The image a one-image report scanned, and one rule's word on it: a finding, why it was not judged, or neither (pass). */
export function verdictOn<R extends OneImageReport>(report: R, ruleId: string) {
  const asset = report.assets.find((a) => a.kind === 'image')! as R['assets'][number];
  return {
    asset,
    finding: report.findings.find((f) => f.ruleId === ruleId && f.assetId === asset.id) as R['findings'][number] | undefined,
    unjudged: report.unjudged.find((u) => u.ruleId === ruleId && u.assetId === asset.id) as R['unjudged'][number] | undefined,
  };
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
    pushImage: (repository, content) => pushOneFileImage(crane, registry.host, work, repository, content),
    scan: <Report extends { errors: unknown[] }>(repository: string, configFile: string) => scanImage<Report>(registry.host, repository, configFile),
    stop: () => registry.stop(),
  };
}
