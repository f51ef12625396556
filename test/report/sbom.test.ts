// SBOMs of a real image (this machine's dpkg database in the base layer, an npm package and a Python
// distribution in the application layer), written by `posture scan --format cyclonedx|spdx-json` and
// validated against the official schemas: CycloneDX 1.6 (strict) through the schemas that ship with
// @cyclonedx/cyclonedx-library, SPDX 2.3 against the JSON schema of the SPDX specification
// (test/fixtures/sbom/spdx-2.3.schema.json, see the README there).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayer } from '../oci/support/layers.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';
import { runCli } from '../cli/helpers.ts';

const run = promisify(execFile);
let work: string;
let layout: string;
let installed: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-sbom-'));
  layout = join(work, 'image');
  const { stdout } = await run('dpkg-query', ['-W', '-f=${db:Status-Status}\\n'], { maxBuffer: 16 << 20 });
  installed = stdout.split('\n').filter((s) => s === 'installed').length;
  const base = await buildLayer([
    { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
    { path: 'var/lib/dpkg/status', content: await readFile('/var/lib/dpkg/status') },
  ]);
  const app = await buildLayer([
    { path: 'app/node_modules/@scope/left-pad/package.json', content: '{"name":"@scope/left-pad","version":"1.3.0"}' },
    { path: 'usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\n' },
  ]);
  await writeLayout(layout, { layers: [base, app] }, 'sbom-test');
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('SBOM output', () => {
  it('CycloneDX 1.6 JSON validates against the strict schema and lists every package with purl and layer', async () => {
    const out = await runCli(['scan', '--format', 'cyclonedx', '--no-history', layout]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const error = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(out.stdout);
    expect(error).toBeNull();
    const bom = JSON.parse(out.stdout) as { bomFormat: string; specVersion: string; metadata: { component: { type: string; purl: string } }; components: { name: string; purl: string; properties: { name: string; value: string }[] }[]; dependencies: { ref: string; dependsOn?: string[] }[] };
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.metadata.component.type).toBe('container');
    expect(bom.metadata.component.purl).toMatch(/^pkg:oci\//);
    expect(bom.components.length).toBe(installed + 2);
    const pad = bom.components.find((c) => c.name === '@scope/left-pad')!;
    expect(pad.purl).toBe('pkg:npm/%40scope/left-pad@1.3.0');
    expect(pad.properties).toContainEqual({ name: 'posture:layer:index', value: '1' });
    const libc = bom.components.find((c) => c.name === 'libc6')!;
    expect(libc.properties).toContainEqual({ name: 'posture:layer:index', value: '0' });
    expect(libc.properties).toContainEqual({ name: 'posture:package:ecosystem', value: 'Debian:12' });
    expect(bom.dependencies.find((d) => d.dependsOn?.length)!.dependsOn!.length).toBe(installed + 2);
  });

  it('SPDX 2.3 JSON validates against the SPDX 2.3 schema and relates the image to every package', async () => {
    const out = await runCli(['scan', '--format', 'spdx-json', '--no-history', layout]);
    expect(out.code).toBe(0);
    const schema = JSON.parse(await readFile(join(import.meta.dirname, '../fixtures/sbom/spdx-2.3.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const doc = JSON.parse(out.stdout) as { spdxVersion: string; packages: { SPDXID: string; name: string; primaryPackagePurpose: string; externalRefs: { referenceLocator: string }[] }[]; relationships: { relationshipType: string; spdxElementId: string; relatedSpdxElement: string }[] };
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    const ids = new Set(doc.packages.map((p) => p.SPDXID));
    expect(ids.size).toBe(doc.packages.length);
    expect(doc.packages.length).toBe(installed + 3);
    expect(doc.packages.filter((p) => p.primaryPackagePurpose === 'CONTAINER')).toHaveLength(1);
    expect(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(installed + 2);
    for (const r of doc.relationships) expect(ids.has(r.relatedSpdxElement)).toBe(true);
    expect(doc.packages.find((p) => p.name === 'PyYAML')!.externalRefs[0]!.referenceLocator).toBe('pkg:pypi/pyyaml@6.0.1');
  });

  it('the schemas catch a broken document (the validators are not vacuous)', async () => {
    const out = await runCli(['scan', '--format', 'spdx-json', '--no-history', layout]);
    const doc = JSON.parse(out.stdout) as { packages: Record<string, unknown>[] };
    delete doc.packages[0]!.downloadLocation;
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    expect(ajv.compile(JSON.parse(await readFile(join(import.meta.dirname, '../fixtures/sbom/spdx-2.3.schema.json'), 'utf8')) as object)(doc)).toBe(false);
    const cdx = await runCli(['scan', '--format', 'cyclonedx', '--no-history', layout]);
    const bom = JSON.parse(cdx.stdout) as { components: Record<string, unknown>[] };
    bom.components[0]!.type = 'not-a-type';
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(bom))).not.toBeNull();
  });
});

describe('table report', () => {
  it('counts the packages of each image per manager', async () => {
    const out = await runCli(['scan', '--format', 'table', '--no-history', layout]);
    expect(out.stdout).toContain('Packages per image');
    expect(out.stdout).toMatch(new RegExp(`: ${installed + 2} packages \\(dpkg ${installed}, npm 1, python 1\\)`));
  });
});
