// Rule METADATA and the framework files must agree both ways, and bad framework files fail by name.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameworksDir, loadFrameworks, mappingProblems, maxFrameworkFileBytes, rulesOf, writeFrameworksCache } from '../../core/frameworks.ts';
import { Catalog, frameworkIds, type CatalogRule } from '../../policies/catalog.ts';
import { distDir } from '../../policies/layout.ts';

const catalog = Catalog.parse(JSON.parse(readFileSync(path.join(distDir, 'catalog.json'), 'utf8')));
const frameworks = loadFrameworks();

function copyOfFrameworks(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-fw-'));
  cpSync(frameworksDir, dir, { recursive: true });
  return dir;
}

describe('framework files and rule metadata', () => {
  it('agree in both directions (run scripts/sync-framework-rules.ts after adding a mapping)', () => {
    expect(mappingProblems(frameworks, catalog)).toEqual([]);
  });

  it('cover every framework id, and every rule evidences at least one listed control', () => {
    expect([...frameworks.keys()].sort()).toEqual([...frameworkIds].sort());
    const evidenced = new Set([...frameworks.values()].flatMap((fw) => [...rulesOf(fw)]));
    expect(catalog.filter((r) => !evidenced.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('map HIPAA and SOX through NIST 800-53 controls, marked unverified, never through rule metadata', () => {
    const nist = frameworks.get('nist-800-53-r5')!;
    for (const id of ['hipaa', 'sox-itgc']) {
      const fw = frameworks.get(id)!;
      expect(fw.mapping).toBe('unverified');
      expect(fw.crosswalk).toBe('nist-800-53-r5');
      for (const control of fw.controls) {
        const expected = new Set(nist.controls.filter((c) => control.via!.includes(c.id)).flatMap((c) => c.rules));
        expect(new Set(control.rules)).toEqual(expected);
      }
      expect(catalog.some((r) => Object.hasOwn(r.frameworks, id))).toBe(false);
    }
    // 164.312(b) Audit controls relies on AU-2/AU-12, which the audit-logging rules evidence.
    expect(frameworks.get('hipaa')!.controls.find((c) => c.id === '164.312(b)')!.rules).toContain('CLU-004');
  });

  it('list manual controls (no rule) and mark them so', () => {
    const eks = frameworks.get('cis-eks-1.8')!;
    const manual = eks.controls.find((c) => c.id === '4.1.7')!;
    expect(manual).toMatchObject({ manual: true, rules: [] });
    expect(eks.controls.find((c) => c.id === '5.4.2')).toMatchObject({ manual: false, rules: expect.arrayContaining(['CLU-001']) });
  });
});

describe('the agreement check finds dangling ids', () => {
  const rule = (over: Partial<CatalogRule>): CatalogRule => ({ ...catalog.find((r) => r.id === 'CLU-001')!, ...over });

  it('a rule mapping a control the framework file lacks', () => {
    const bad = [...catalog.filter((r) => r.id !== 'CLU-001'), rule({ frameworks: { ...rule({}).frameworks, 'cis-eks-1.8': ['5.4.2', '9.9.9'] } })];
    expect(mappingProblems(frameworks, bad)).toEqual(['CLU-001 maps to cis-eks-1.8 control 9.9.9, which cis-eks-1.8.yaml does not list']);
  });

  it('a rule mapping an existing control the file does not list it under', () => {
    const bad = [...catalog.filter((r) => r.id !== 'CLU-001'), rule({ frameworks: { ...rule({}).frameworks, 'cis-eks-1.8': ['5.4.2', '4.1.1'] } })];
    expect(mappingProblems(frameworks, bad)).toEqual(['CLU-001 maps to cis-eks-1.8 4.1.1, but cis-eks-1.8.yaml does not list CLU-001 under it']);
  });

  it('a framework file listing a rule that no longer declares the control, or does not exist', () => {
    const { 'cis-eks-1.8': _gone, ...rest } = rule({}).frameworks;
    const bad = [...catalog.filter((r) => r.id !== 'CLU-001'), rule({ frameworks: rest })];
    expect(mappingProblems(frameworks, bad)).toEqual([
      "cis-eks-1.8.yaml lists CLU-001 under 5.4.2, but CLU-001's METADATA does not map cis-eks-1.8 5.4.2",
    ]);
    const withoutRule = catalog.filter((r) => r.id !== 'CLU-001');
    expect(mappingProblems(frameworks, withoutRule)).toContain('cis-eks-1.8.yaml lists CLU-001 under 5.4.2, but no rule CLU-001 exists');
  });

  it('a rule declaring a crosswalk framework in its metadata', () => {
    const bad = [...catalog.filter((r) => r.id !== 'CLU-001'), rule({ frameworks: { ...rule({}).frameworks, hipaa: ['164.312(b)'] } })];
    expect(mappingProblems(frameworks, bad)).toEqual([
      'CLU-001 declares hipaa in METADATA, but hipaa is mapped through nist-800-53-r5 in hipaa.yaml; remove it from the rule',
    ]);
  });
});

describe('bad framework files fail with the file named', () => {
  const edit = (name: string, change: (text: string) => string) => {
    const dir = copyOfFrameworks();
    const file = path.join(dir, name);
    writeFileSync(file, change(readFileSync(file, 'utf8')));
    return { dir, file };
  };

  it.each([
    ['invalid YAML', 'gdpr.yaml', (t: string) => `${t}\n  - id: [unclosed`, /gdpr\.yaml is not valid YAML/],
    ['a duplicate control', 'gdpr.yaml', (t: string) => t.replace('id: Art. 25', 'id: Art. 5'), /gdpr\.yaml is invalid[\s\S]*control Art\. 5 is listed twice/],
    ['an unquoted numeric control id', 'cis-docker-1.6.yaml', (t: string) => t.replace('id: "4.1"', 'id: 4.1'), /cis-docker-1\.6\.yaml is invalid[\s\S]*controls\[0\]\.id/],
    ['a crosswalk to a missing control', 'hipaa.yaml', (t: string) => t.replace('- RA-2', '- ZZ-9'), /hipaa control 164\.308\(a\)\(1\)\(ii\)\(A\) names ZZ-9, not controls of nist-800-53-r5/],
    ['an id that does not match the file name', 'gdpr.yaml', (t: string) => t.replace('id: gdpr', 'id: hipaa'), /declares id hipaa; the file must be named hipaa\.yaml/],
    ['a malformed rule id', 'gdpr.yaml', (t: string) => t.replace(/rules: \[DR-00\d/, 'rules: [dr-1'), /gdpr\.yaml is invalid[\s\S]*a rule id looks like EKS-001/],
  ])('%s', (_what, name, change, message) => {
    const { dir } = edit(name, change);
    expect(() => loadFrameworks(dir)).toThrow(message);
    rmSync(dir, { recursive: true });
  });

  it('a missing framework file, and an oversized one', () => {
    const dir = copyOfFrameworks();
    rmSync(path.join(dir, 'sox-itgc.yaml'));
    expect(() => loadFrameworks(dir)).toThrow(/no framework file for sox-itgc/);
    writeFileSync(path.join(dir, 'sox-itgc.yaml'), `# ${'x'.repeat(maxFrameworkFileBytes)}\n`);
    expect(() => loadFrameworks(dir)).toThrow(/sox-itgc\.yaml is \d+ bytes; the limit is/);
    rmSync(dir, { recursive: true });
  });

  it('the parsed-frameworks cache is used only for the files it was written from', () => {
    const dir = copyOfFrameworks();
    const cache = path.join(dir, 'cache.json');
    writeFrameworksCache(dir, cache);
    expect(loadFrameworks(dir, cache)).toEqual(loadFrameworks(dir));
    // Edited after the cache was written: the edit shows, and a broken edit is still an error.
    const gdpr = path.join(dir, 'gdpr.yaml');
    writeFileSync(gdpr, readFileSync(gdpr, 'utf8').replace(/title: .*/, 'title: Edited after caching'));
    expect(JSON.stringify(loadFrameworks(dir, cache).get('gdpr'))).toContain('Edited after caching');
    writeFileSync(gdpr, readFileSync(gdpr, 'utf8').replace('id: gdpr', 'id: hipaa'));
    expect(() => loadFrameworks(dir, cache)).toThrow(/declares id hipaa/);
    rmSync(dir, { recursive: true });
  });
});
