// Start-up: a scan of one local file must not load what only other inputs need. The real CLI runs from its
// bundle, as a user runs it, with a hook recording every module file the process loads; the bundle's
// metafile (dist/cli/meta.json) says which sources each loaded chunk holds. A scan of a local image is
// the control: the same recording shows the image pipeline there, so its absence elsewhere means something.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, freshEntry, metaFile } from '../../scripts/lib/cli-bundle.mjs';
import { writeLayout } from '../oci/support/layout-writer.ts';
import { debianSpec } from '../oci/support/fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const recorder = path.join(root, 'test/cli/support/record-loaded-modules.mjs');
let work: string;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** The sources (repository paths, node_modules/… included) of every module the CLI loaded for `args`. */
async function loadedSources(args: string[]): Promise<Set<string>> {
  const record = path.join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  await promisify(execFile)(process.execPath, ['--import', recorder, path.join(root, 'bin/posture.js'), ...args], {
    cwd: work,
    env: { ...process.env, RECORD_MODULES_TO: record, NO_COLOR: '1' },
  }).catch((err: { code?: number }) => {
    if (err.code !== 1) throw err; // 1: findings at or above --fail-on; anything else is a failed run
  });
  const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Metafile;
  const sources = new Set<string>();
  for (const url of (await readFile(record, 'utf8')).split('\n')) {
    if (!url.startsWith('file:')) continue;
    const file = path.relative(root, fileURLToPath(url));
    const chunk = meta.outputs[file];
    if (chunk) for (const input of Object.keys(chunk.inputs)) sources.add(input);
    else sources.add(file); // bin/posture.js, the bundler's helper, packages left outside the bundle
  }
  return sources;
}

const matching = (sources: Set<string>, pattern: RegExp) => [...sources].filter((s) => pattern.test(s));

/** What a scan of a JSON export or a manifest has no use for (the secret patterns are shared: ConfigMaps are searched too). */
const notForLocalDocuments: Record<string, RegExp> = {
  'cloud SDKs and clients': /^node_modules\/(@aws-sdk|@smithy|@azure|@google-cloud|google-gax|@grpc|@kubernetes\/client-node)\//,
  'HTTP client (registries)': /^node_modules\/undici\//,
  'image analysis': /^providers\/oci\/(analysis|registry)\/|^providers\/oci\/analyzers\/(?!secret-rules\.ts$)|^providers\/oci\/(collect-image|collect-registry)\.ts$|^node_modules\/(tar-stream|fflate)\//,
  // posture.yaml's supplyChain schema (and the distinguished names it parses) is configuration, read by every scan.
  'signature verification': /^supply-chain\/(?!config\.ts$|notation\/config\.ts$|notation\/distinguished-name\.ts$)|^node_modules\/(@sigstore|jose)\//,
  'vulnerability matching': /^vulns\/|^node_modules\/ae-cvss-calculator\//,
  'cloud collectors': /^providers\/(aws|azure|gcp|kubernetes)\/(collector|pull|collect|clients|ecr|ecs|eks|iam|acr|aks|gke|artifact-registry|auth)\.ts$|^providers\/orchestrate\.ts$/,
  'state stores and publishers': /^core\/state\/(sqlite|dynamodb)\.ts$|^publishers\/(?!config\.ts$)/,
  'other report formats': /^report\/(json|html|junit|csv|ocsf|asff|sarif|cyclonedx|spdx)\.ts$/,
  'admission export': /^admission\/(?!config\.ts$)/,
};

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'posture-lazy-'));
  if (!freshEntry()) await buildCli();
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('modules loaded by a scan', () => {
  it('one local JSON export: the engine, the local collector and the table renderer, nothing for images, clouds or publishing', async () => {
    const sources = await loadedSources(['scan', '--no-history', path.join(root, 'samples/aws/eks-cluster-platform.json')]);
    for (const needed of ['policies/engine.ts', 'providers/local/collect.ts', 'report/table.ts']) expect(sources, needed).toContain(needed);
    for (const [what, pattern] of Object.entries(notForLocalDocuments)) expect(matching(sources, pattern), what).toEqual([]);
  });

  it('a local image layout: the same recording shows the image pipeline (the control for the test above)', async () => {
    const layout = path.join(work, 'image');
    await writeLayout(layout, await debianSpec(), '1.0');
    const sources = await loadedSources(['scan', '--no-history', '--vulndb', path.join(work, 'none.sqlite'), '-f', 'json', layout]);
    expect(matching(sources, notForLocalDocuments['image analysis']!).length).toBeGreaterThan(5);
    expect(sources).toContain('vulns/enrich.ts');
    expect(sources).toContain('report/json.ts');
    expect(sources).not.toContain('report/table.ts');
  });
});
