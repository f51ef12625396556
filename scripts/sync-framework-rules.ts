// Rewrites the `rules:` list of every control in policies/frameworks/*.yaml from rule METADATA,
// keeping titles and comments. It never invents a control: a rule mapped to a control the file
// does not list is reported and the script fails, so a typo in METADATA cannot slip through.
// Usage: npx tsx scripts/sync-framework-rules.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { frameworksDir, loadFrameworks } from '../core/frameworks.ts';
import { Catalog } from '../policies/catalog.ts';
import { distDir } from '../policies/layout.ts';
import { buildPolicies } from './build-policies.ts';

export async function syncFrameworkRules(options: { check: boolean }): Promise<{ changed: string[]; problems: string[] }> {
  await buildPolicies();
  const catalog = Catalog.parse(JSON.parse(readFileSync(path.join(distDir, 'catalog.json'), 'utf8')));
  const frameworks = loadFrameworks(frameworksDir);
  const declared = new Map<string, string[]>(); // "fw\u0000control" → rule ids
  const problems: string[] = [];
  for (const rule of catalog) {
    for (const [fwId, controls] of Object.entries(rule.frameworks)) {
      const fw = frameworks.get(fwId);
      if (fw?.crosswalk) problems.push(`${rule.id}: ${fwId} is mapped through ${fw.crosswalk}; remove it from the rule's METADATA`);
      for (const c of controls ?? []) {
        if (fw && !fw.crosswalk && !fw.controls.some((x) => x.id === c)) problems.push(`${rule.id}: ${fwId} has no control ${c} in ${path.basename(fw.file)}`);
        const key = `${fwId}\u0000${c}`;
        declared.set(key, [...(declared.get(key) ?? []), rule.id]);
      }
    }
  }
  const changed: string[] = [];
  for (const fw of frameworks.values()) {
    if (fw.crosswalk) continue;
    const text = readFileSync(fw.file, 'utf8');
    const doc = parseDocument(text);
    const controls = doc.get('controls');
    if (!isSeq(controls)) throw new Error(`${fw.file}: controls is not a list`);
    for (const item of controls.items) {
      if (!isMap(item)) continue;
      const id = String(item.get('id'));
      const rules = [...new Set(declared.get(`${fw.id}\u0000${id}`) ?? [])].sort();
      const node = doc.createNode(rules) as YAMLSeq;
      node.flow = true;
      item.set('rules', node);
    }
    const next = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
    if (next !== text) {
      changed.push(path.basename(fw.file));
      if (!options.check) writeFileSync(fw.file, next);
    }
  }
  return { changed, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const { changed, problems } = await syncFrameworkRules({ check });
  for (const p of problems) process.stderr.write(`problem: ${p}\n`);
  process.stderr.write(changed.length ? `${check ? 'out of date' : 'updated'}: ${changed.join(', ')}\n` : 'framework rule lists are up to date\n');
  process.exitCode = problems.length || (check && changed.length) ? 1 : 0;
}
