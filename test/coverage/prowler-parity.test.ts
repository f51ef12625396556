// docs/coverage.md says a posture rule covers a Prowler check. Each such claim is shown here, with no Prowler:
// the misconfiguration the check targets is planted in a cloud the real collectors read (AWS in moto through
// the real SDK clients; Azure ARM and Google's GKE and Artifact Registry APIs through their loopback stand-ins),
// beside a twin that differs only in that one setting. The collected assets are judged by the compiled Wasm
// bundle: every rule the mapping names must fire on the plant and stay silent on its twin, so the firing is
// owed to the planted setting. A check the mapping calls covered without a plant here fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { loadMapping, mappedChecks } from '../../scripts/coverage/prowler-mapping.ts';
import { startAzurePlants, type AzurePlants } from './support/azure-plants.ts';
import { startAwsPlants, type AwsPlants } from './support/aws-plants.ts';
import { startGcpPlants, type GcpPlants } from './support/gcp-plants.ts';
import type { Plant } from './support/plant.ts';

const now = new Date('2026-11-01T00:00:00Z');

let aws: AwsPlants;
let azure: AzurePlants;
let gcp: GcpPlants;
let assets: Map<string, Asset>;
let engine: Engine;

beforeAll(async () => {
  [aws, azure, gcp] = await Promise.all([startAwsPlants(now), startAzurePlants(now), startGcpPlants(now)]);
  const all = [...aws.assets, ...azure.assets, ...gcp.assets];
  assets = new Map(all.map((a) => [a.id, a]));
  engine = await Engine.load({ config: parseConfig({ image: { trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'] } }), now });
}, 300_000);

afterAll(async () => {
  await Promise.all([aws?.stop(), azure?.stop(), gcp?.stop()]);
});

const mapping = loadMapping();
const covered = mappedChecks(mapping).flatMap((c) => ('rules' in c.entry ? [{ check: c.id, rules: c.entry.rules }] : []));
const plants = (): Record<string, Plant> => ({ ...aws.plants, ...azure.plants, ...gcp.plants });

/** The one collected asset whose id the plant names. */
function asset(id: string): Asset {
  const found = assets.get(id);
  if (!found) throw new Error(`no asset ${id} was collected (have ${[...assets.keys()].filter((k) => k.includes(id.split('/').at(-1)!.replace(/-(bad|good).*/, ''))).join(', ') || 'none alike'})`);
  return found;
}
const fired = (a: Asset) => new Set(engine.evaluate(parseAsset(a)).map((f) => f.ruleId));

describe(`posture beside Prowler ${mapping.prowler}: each covered check's misconfiguration, planted`, () => {
  it('has a plant for every covered check, and none for a check the mapping does not call covered', () => {
    expect(Object.keys(plants()).sort()).toEqual(covered.map((c) => c.check).sort());
  });

  it('collected every planted asset without an error other than the known moto gaps', () => {
    expect(aws.errors).toEqual([]);
    expect(azure.errors).toEqual([]);
    expect(gcp.errors).toEqual([]);
  });

  it.each(covered)('$check: $rules fire on the plant and not on its fixed twin', ({ check, rules }) => {
    const plant = plants()[check];
    if (!plant) throw new Error(`no plant for ${check}`);
    const bad = fired(asset(plant.bad));
    const good = fired(asset(plant.good));
    for (const rule of rules) {
      expect(bad, `${rule} on the planted ${check} (${plant.bad})`).toContain(rule);
      expect(good, `${rule} on the fixed twin of ${check} (${plant.good})`).not.toContain(rule);
    }
  });
});
