// The provider registry is read by core/config.ts and core/asset.ts, so it must stay a leaf: declarations
// import zod, their own settings and pure helpers, and nothing from core/ or a cloud SDK at run time (the
// SDK-heavy parts are the lazily loaded collector.ts and pull.ts). esbuild's metafile says what a bundle of
// the registry really pulls in.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { allProviders, DeploymentScopes } from '../../providers/registry.ts';
import { Config } from '../../core/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('provider registry', () => {
  it('loads only declarations, settings and zod (no core/, no cloud SDK, no collector or pull module)', async () => {
    const out = await build({
      entryPoints: [path.join(root, 'providers/registry.ts')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      external: ['*/collector.ts', '*/pull.ts', '*/native-scan.ts'],
    });
    const inputs = Object.keys(out.metafile.inputs);
    const ours = inputs.filter((f) => !f.startsWith('node_modules/'));
    const packages = new Set(inputs.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/').slice(1, f.split('/')[1]?.startsWith('@') ? 3 : 2).join('/')));
    expect(ours.filter((f) => !f.startsWith('providers/')), 'modules outside providers/').toEqual([]);
    expect([...packages]).toEqual(['zod']);
    expect(ours.filter((f) => /\/(collector|pull|native-scan)\.ts$/.test(f))).toEqual([]);
  });

  it('gives every provider a posture.yaml section and a deployment section, each defaulted', () => {
    const config = Config.parse({});
    const deployment = DeploymentScopes.parse({});
    for (const p of allProviders()) {
      expect(config[p.id], p.id).toBeDefined();
      expect(p.scopes.fromDeployment((deployment as Record<string, unknown>)[p.id]), p.id).toEqual([]);
      expect(p.cli.options.length, p.id).toBeGreaterThan(0);
    }
  });
});
