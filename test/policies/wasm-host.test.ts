// The policy host (policies/wasm-host.ts) against the library it replaced, @open-policy-agent/opa-wasm, on the
// same compiled modules: the real bundle over the sample estate (every finding, message included), and a small
// policy built here whose messages exercise sprintf on every kind of JSON value. Then the engine's output
// contract: a bundle whose entrypoint returns malformed findings is refused, naming the asset.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '../../core/asset.ts';
import { parseConfig, policyData } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { hostBuiltins } from '../../policies/host-builtins.ts';
import { distDir, entrypoint, opaBinary } from '../../policies/layout.ts';
import { compileModule, PolicyInstance } from '../../policies/wasm-host.ts';
import { collectLocal } from '../../providers/local/collect.ts';

const now = new Date('2026-11-01T00:00:00Z');
let work: string;

/** `opa build -t wasm` of one Rego module; the Wasm bytes. */
async function build(rego: string, entry: string): Promise<Buffer> {
  const dir = mkdtempSync(path.join(work, 'build-'));
  writeFileSync(path.join(dir, 'policy.rego'), rego);
  await promisify(execFile)(opaBinary, ['build', '-t', 'wasm', '-e', entry, '-o', path.join(dir, 'bundle.tar.gz'), path.join(dir, 'policy.rego')]);
  await promisify(execFile)('tar', ['-xzf', path.join(dir, 'bundle.tar.gz'), '-C', dir, '--no-same-permissions', '/policy.wasm']);
  return readFileSync(path.join(dir, 'policy.wasm'));
}

const compile = async (rego: string, entry: string) => compileModule(await build(rego, entry));

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'posture-wasm-host-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('policy host', () => {
  it('gives the findings opa-wasm gives on the real bundle, messages included, asset after asset on one instance', async () => {
    const module = compileModule(readFileSync(path.join(distDir, 'policy.wasm')));
    const data = { ...(JSON.parse(readFileSync(path.join(distDir, 'data.json'), 'utf8')) as object), config: policyData(parseConfig({})), runtime: { now: now.toISOString() } };
    const reference = await loadPolicy(module, { initial: 64 }, hostBuiltins);
    reference.setData(data);
    const host = await PolicyInstance.instantiate(module);
    host.setData(data);
    const { assets } = await collectLocal(['aws', 'azure', 'gcp', 'kubernetes'].map((p) => path.resolve('samples', p)), { now });
    expect(assets.length).toBeGreaterThan(10);
    let findings = 0;
    for (const asset of [...assets, ...assets]) {
      const expected = reference.evaluate(asset, entrypoint) as { result: { msg: string }[] }[];
      expect(host.evaluate(asset, entrypoint)).toEqual(expected);
      findings += expected[0]?.result.length ?? 0;
    }
    expect(findings).toBeGreaterThan(50);
  });

  it('formats sprintf %s, %d and %% on every kind of JSON value as opa-wasm does', async () => {
    const module = await compile(
      ['package t', 'import rego.v1', 'messages := [sprintf("%s|%d|100%%|%s", [v, d, [v]]) | some [v, d] in input.cases]'].join('\n'),
      't/messages',
    );
    const cases = [
      ['text', 1],
      ['ünïcödé ✓ 𝄞', -1],
      ['', 0],
      [12.5, 12.9],
      [-0.5, -0.5],
      [1e21, 1e21],
      [null, null],
      [true, '42'],
      [false, -3.7],
      [['a', 'b', ['c']], 7],
      [{ k: 'v' }, 2147483648],
      [[{ a: 1 }, null], -2147483649],
    ];
    const reference = await loadPolicy(module, { initial: 64 }, hostBuiltins);
    const host = await PolicyInstance.instantiate(module);
    const expected = reference.evaluate({ cases }, 't/messages') as { result: string[] }[];
    expect(expected[0]?.result).toHaveLength(cases.length);
    expect(expected[0]?.result[0]).toBe('text|1|100%|text');
    expect(host.evaluate({ cases }, 't/messages')).toEqual(expected);
  });

  it('answers yaml.*, json.is_valid and regex.split as OPA itself (opa eval) does', async () => {
    const rego = [
      'package t',
      'import rego.v1',
      'out := {',
      '\t"yamlValid": [yaml.is_valid(s) | some s in input.texts],',
      '\t"yamlValues": [v | some s in input.texts; yaml.is_valid(s); v := yaml.unmarshal(s)],',
      '\t"yamlUnmarshaled": [s | some s in input.texts; yaml.unmarshal(s)],',
      '\t"yamlRoundTrip": [yaml.unmarshal(yaml.marshal(v)) | some v in input.values],',
      '\t"jsonValid": [json.is_valid(s) | some s in input.texts],',
      '\t"split": regex.split(`[,;] *`, "a, b;c,,d"),',
      '}',
    ].join('\n');
    // Text as the rules meet it (EKS add-on configurationValues and the like). Known difference: the yaml
    // package reads `key: : value` as a nested map where Go's YAML refuses it; opa-wasm's older yaml refused
    // valid flow mappings such as {"a": [1, 2]}.
    const input = {
      texts: ['enableNetworkPolicy: "true"\n', '{"a": [1, 2]}', 'a: [1, 2', '- x\n- y: z\n', '', 'x: &a 1\ny: *a\n', '42', 'a:\n\tb: 1\n'],
      values: [{ a: 1, b: ['x', 'y'] }, 'plain', [1, { c: null }], true],
    };
    const dir = mkdtempSync(path.join(work, 'go-'));
    writeFileSync(path.join(dir, 'p.rego'), rego);
    writeFileSync(path.join(dir, 'input.json'), JSON.stringify(input));
    const { stdout } = await promisify(execFile)(opaBinary, ['eval', '-f', 'json', '-d', path.join(dir, 'p.rego'), '-i', path.join(dir, 'input.json'), 'data.t.out']);
    const expected = (JSON.parse(stdout) as { result: { expressions: { value: { yamlValid: boolean[] } }[] }[] }).result[0]?.expressions[0]?.value;
    expect(expected?.yamlValid).toContain(false);
    expect((expected as unknown as { yamlRoundTrip: unknown[] }).yamlRoundTrip).toEqual(input.values);
    const host = await PolicyInstance.instantiate(await compile(rego, 't/out'));
    expect(host.evaluate(input, 't/out')).toEqual([{ result: expected }]);
  });

  it('grows its memory for a large input and keeps evaluating smaller ones after it', async () => {
    const module = await compile(['package t', 'import rego.v1', 'n := count(input.items)'].join('\n'), 't/n');
    const host = await PolicyInstance.instantiate(module);
    // About 8 MB of JSON against 4 MiB of initial memory.
    const big = { items: Array.from({ length: 500_000 }, (_, i) => `item-${i}-ü`) };
    expect(host.evaluate(big, 't/n')).toEqual([{ result: 500_000 }]);
    expect(host.evaluate({ items: [1, 2] }, 't/n')).toEqual([{ result: 2 }]);
  });
});

describe('engine output contract', () => {
  // A bundle whose entrypoint returns whatever the asset carries under `out`, and no rules in its catalog: output
  // the contract refuses fails with the contract error; output it accepts gets as far as the catalog lookup.
  let engine: Engine;
  let asset: Asset;
  beforeAll(async () => {
    const wasm = await build(['package posture.main', 'import rego.v1', 'findings := input.out'].join('\n'), entrypoint);
    const dist = path.join(work, 'echo-dist');
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'policy.wasm'), wasm);
    writeFileSync(path.join(dist, 'data.json'), '{}');
    writeFileSync(path.join(dist, 'catalog.json'), '[]');
    writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify({ bundleDigest: 'test', rules: 0 }));
    engine = await Engine.load({ config: parseConfig({}), dist, now });
    asset = (await collectLocal([path.resolve('samples/aws/eks-cluster-analytics.json')], { now })).assets[0]!;
  });
  const good = { rule: 'x', msg: 'm', path: 'p', evidence: { a: 1 }, outcome: 'fail', aliasPath: null, severity: null };
  const assess = (out: unknown) => () => engine.assess({ ...asset, out } as unknown as Asset);
  const broke = /policy output for aws:\/\/444455556666\/us-east-1\/eks\/cluster\/analytics broke the contract/;

  it.each([
    ['no msg', { ...good, msg: undefined }],
    ['a number for a path', { ...good, path: 3 }],
    ['no rule', { ...good, rule: undefined }],
    ['an outcome outside fail, manual, not-applicable', { ...good, outcome: 'pass' }],
    ['no aliasPath', { ...good, aliasPath: undefined }],
    ['an empty aliasPath list', { ...good, aliasPath: [] }],
    ['a number in the aliasPath list', { ...good, aliasPath: ['a', 1] }],
    ['an unknown severity', { ...good, severity: 'severe' }],
    ['null for a finding', null],
    ['a string for a finding', 'finding'],
  ])('refuses a finding with %s, naming the asset', (_, finding) => {
    expect(assess([finding])).toThrow(broke);
  });

  it('refuses findings that are not a list', () => {
    expect(assess({ 0: good })).toThrow(broke);
  });

  it.each([
    ['as the rules write it', good],
    ['an alias path', { ...good, aliasPath: 'q' }],
    ['several alias paths', { ...good, aliasPath: ['q', 'r'] }],
    ['its own severity', { ...good, severity: 'critical' }],
    ['no severity key', { ...good, severity: undefined }],
    ['no evidence key', { ...good, evidence: undefined }],
    ['a key the contract does not name', { ...good, extra: true }],
  ])('accepts a finding with %s', (_, finding) => {
    expect(assess([finding])).toThrow(/rule package x is in the policy bundle but not in its catalog/);
  });
});
