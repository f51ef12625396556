// Real Go vulnerability data: the Go vulnerability database (golang.org/x/vulndb data/osv, fetched by
// setup through the Go module proxy) and a real Go binary built against known-vulnerable module
// versions (test/vulns/go-fixture). The binary's modules are read by the Go toolchain itself
// (`go version -m`); the expected record ids are what the pinned database lists for those versions. The
// binary is also put in an image and read by posture's own analyzers, as `posture scan` reads it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import { collectLocalImage } from '../../providers/oci/index.ts';
import { VulnStore } from '../../vulns/db/store.ts';
import { syncSource, type SyncOutcome } from '../../vulns/db/sync.ts';
import { matchImages } from '../../vulns/enrich.ts';
import { matchPackages, type MatchablePackage } from '../../vulns/match.ts';
import { buildLayer } from '../oci/support/layers.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';

const tools = path.resolve('.tools');
const vulndb = path.join(tools, 'go-vulndb', 'data', 'osv');
const binary = path.join(tools, 'go-fixtures', 'vulnerable-app');

// Read from the records of golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018 (scripts/setup.d/50-go-vulndb.sh).
const expected: Record<string, string[]> = {
  'golang.org/x/text@v0.3.7': ['GO-2022-1059', 'GO-2026-5970', 'GO-2026-6629'],
  'golang.org/x/net@v0.0.0-20211112202133-69e39bad7dc2': [
    'GO-2022-0288', 'GO-2022-0969', 'GO-2022-1144', 'GO-2023-1571', 'GO-2023-1988', 'GO-2023-2102', 'GO-2024-2687', 'GO-2024-3333',
    'GO-2025-3503', 'GO-2025-3595', 'GO-2026-4440', 'GO-2026-4441', 'GO-2026-4918', 'GO-2026-5025', 'GO-2026-5026', 'GO-2026-5027',
    'GO-2026-5028', 'GO-2026-5029', 'GO-2026-5030', 'GO-2026-5942', 'GO-2026-6603', 'GO-2026-6610', 'GO-2026-6611', 'GO-2026-6612',
    'GO-2026-6617', 'GO-2026-6860', 'GO-2026-6866',
  ],
};

let dir: string;
let store: VulnStore;
let synced: SyncOutcome;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'posture-go-vulndb-'));
  store = VulnStore.open(path.join(dir, 'go.sqlite'), { create: true });
  synced = await syncSource(store, { kind: 'path', path: vulndb, name: 'go-vulndb' });
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The binary's modules as the Go toolchain reports them. */
function goModules(): MatchablePackage[] {
  const out = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  const lines = out.split('\n');
  const goVersion = /:\s+go(\S+)/.exec(lines[0]!)![1]!;
  const deps = lines.map((l) => l.trim().split(/\t/)).filter((f) => f[0] === 'dep').map((f) => ({ name: f[1]!, version: f[2]! }));
  return [{ name: 'stdlib', version: `v${goVersion}` }, ...deps].map((m) => ({ ...m, manager: 'go', ecosystem: 'Go' }));
}

describe('the Go vulnerability database', () => {
  it('loads every record of the module, none unreadable', () => {
    expect(synced.status).toBe('updated');
    expect(synced.rejected).toBe(0);
    expect((synced.records ?? 0) + (synced.withdrawn ?? 0)).toBeGreaterThan(4500);
  });

  it('matches the records the database lists for the binary module versions, and no others', () => {
    const packages = goModules();
    const result = matchPackages(store, packages);
    for (const [key, ids] of Object.entries(expected)) {
      const [name, version] = key.split('@') as [string, string];
      const got = result.vulnerabilities.filter((v) => v.package.name === name && v.package.version === version).flatMap((v) => v.records);
      expect({ key, records: [...new Set(got)].sort() }).toEqual({ key, records: ids });
    }
  });

  it('matches the same records when the binary is in an image, read by posture’s own analyzers as `posture scan` reads it', async () => {
    const layout = path.join(dir, 'image');
    const base = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }]);
    const app = await buildLayer([{ path: 'usr/local/bin/vulnerable-app', content: readFileSync(binary), mode: 0o755 }]);
    await writeLayout(layout, { layers: [base, app] }, 'go-vulnerable-1');
    const [image] = matchImages(await collectLocalImage(layout), { store, file: path.join(dir, 'go.sqlite') }).assets as ImageAsset[];
    expect(image!.image.vulnerabilityScan).toMatchObject({ status: 'complete' });
    const found = image!.image.vulnerabilities ?? [];
    for (const [key, ids] of Object.entries(expected)) {
      const [name, version] = key.split('@') as [string, string];
      const got = found.filter((v) => v.package.name === name && v.package.version === version);
      expect({ key, records: [...new Set(got.flatMap((v) => v.records))].sort() }).toEqual({ key, records: ids });
      // Each match names the file and the application layer it came from.
      for (const v of got) expect(v).toMatchObject({ layer: 1, package: { path: '/usr/local/bin/vulnerable-app', ecosystem: 'Go' } });
    }
    // The same records as the Go toolchain's reading of the binary gives, module for module (stdlib included).
    const byToolchain = matchPackages(store, goModules()).vulnerabilities.map((v) => `${v.package.name}@${v.package.version} ${v.id}`).sort();
    expect(found.map((v) => `${v.package.name}@${v.package.version} ${v.id}`).sort()).toEqual(byToolchain);
  });

  it('gives each module its fixed version and leads with the CVE', () => {
    const result = matchPackages(store, goModules());
    const text = result.vulnerabilities.find((v) => v.records.includes('GO-2022-1059'))!;
    // GO-2022-1059: golang.org/x/text fixed in 0.3.8 (CVE-2022-32149, GHSA-69ch-w2m2-3vjp).
    expect(text).toMatchObject({ id: 'CVE-2022-32149', fixedVersion: '0.3.8', fixAvailable: true });
    expect(text.aliases).toEqual(expect.arrayContaining(['CVE-2022-32149', 'GHSA-69ch-w2m2-3vjp', 'GO-2022-1059']));
  });

  it('judges the Go toolchain version as the stdlib package', () => {
    const result = matchPackages(store, goModules());
    expect(result.notEvaluated).toEqual([]);
    for (const v of result.vulnerabilities.filter((x) => x.package.name === 'stdlib')) expect(v.package.version).toMatch(/^v1\.\d+/);
  });
});
