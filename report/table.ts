// Human report: findings grouped by asset, worst first, severity coloured on a terminal. Everything that
// came from scanned data (asset ids, finding messages, error text) is shown with control characters
// escaped: a file name or an image label must not move the cursor, retitle the window or fake lines.
import Table from 'cli-table3';
import pc from 'picocolors';
import { secrets } from '../core/redact.ts';
import { stripControl } from '../core/terminal.ts';
import type { ScanResult } from '../core/scan.ts';
import { countBySeverity } from '../core/scan.ts';
import { countOutcomes, reasonText, type NotEvaluatedReason } from '../core/outcomes.ts';
import { unjudgedPairs } from './compliance-input.ts';
import { severityRank, type Severity } from '../policies/catalog.ts';
import { describeVulnSummary, vulnSummaryOf } from './vuln-summary.ts';

const shown = (text: string): string => stripControl(text);

export function renderTable(result: ScanResult, options: { color: boolean }): string {
  const paint = pc.createColors(options.color);
  const colour: Record<Severity, (s: string) => string> = {
    critical: (s) => paint.bold(paint.red(s)),
    high: paint.red,
    medium: paint.yellow,
    low: paint.cyan,
    info: paint.dim,
  };
  const out: string[] = [];
  const byAsset = new Map<string, typeof result.findings>();
  for (const f of result.findings) byAsset.set(f.assetId, [...(byAsset.get(f.assetId) ?? []), f]);
  const worst = (id: string) => Math.max(...(byAsset.get(id) ?? []).map((f) => severityRank[f.severity]));
  const assetIds = [...byAsset.keys()].sort((a, b) => worst(b) - worst(a) || a.localeCompare(b));
  const assetsById = new Map(result.assets.map((a) => [a.id, a]));
  for (const id of assetIds) {
    const asset = assetsById.get(id);
    out.push(paint.bold(shown(id)) + (asset ? paint.dim(shown(`  (${asset.kind}, ${asset.region || 'no region'}, ${asset.jurisdiction})`)) : ''));
    const table = new Table({
      head: ['severity', 'rule', 'finding'],
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
      colWidths: [10, 9, 100],
      wordWrap: true,
    });
    const all = [...(byAsset.get(id) ?? [])].sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || a.ruleId.localeCompare(b.ruleId));
    // One row per vulnerability would drown the rest: the table folds IMG-003 into one row per image.
    const vulnFindings = all.filter((f) => f.ruleId === 'IMG-003');
    const rows = all.filter((f) => f.ruleId !== 'IMG-003').map((f) => ({ f, more: '' }));
    if (vulnFindings.length) {
      const more = vulnFindings.length > 1 ? `\n${paint.dim(`and ${vulnFindings.length - 1} more (--format json, sarif or html lists each)`)}` : '';
      rows.push({ f: vulnFindings[0]!, more });
      rows.sort((a, b) => severityRank[b.f.severity] - severityRank[a.f.severity] || a.f.ruleId.localeCompare(b.f.ruleId));
    }
    for (const { f, more } of rows) table.push([colour[f.severity](f.severity.toUpperCase()), shown(f.ruleId), `${shown(f.title)}\n${paint.dim(shown(f.message))}${more}`]);
    out.push(table.toString());
    const summary = asset ? vulnSummaryOf(asset) : null;
    if (summary) out.push(describeVulnSummary(summary));
    out.push('');
  }
  const inventory = packageSummary(result);
  if (inventory.length) out.push(paint.bold('Packages per image'), ...inventory, '');
  const clean = result.assets.filter((a) => !byAsset.has(a.id));
  if (clean.length) out.push(paint.green(`No findings: ${clean.map((a) => shown(a.id)).join(', ')}`), '');
  for (const a of clean) {
    const summary = vulnSummaryOf(a);
    if (summary) out.push(`${shown(a.id)}: ${describeVulnSummary(summary)}`);
  }
  // What could not be judged, grouped by rule and reason: never shown (or counted) as a pass.
  const unjudged = new Map<string, { count: number; example: string }>();
  for (const p of unjudgedPairs(result)) {
    const key = `${p.ruleId}\u0000${p.outcome === 'manual' ? 'manual' : p.reason}`;
    const entry = unjudged.get(key) ?? { count: 0, example: `${p.assetId}: ${p.detail}` };
    entry.count += 1;
    unjudged.set(key, entry);
  }
  if (unjudged.size) {
    out.push(paint.yellow('Not judged (neither passed nor failed; left out of scores):'));
    for (const [key, { count, example }] of [...unjudged].sort(([a], [b]) => a.localeCompare(b))) {
      const [rule, reason] = key.split('\u0000') as [string, string];
      const why = reason === 'manual' ? 'needs a person to judge' : `not evaluated, ${reasonText[reason as NotEvaluatedReason]}`;
      out.push(`  ${rule}  ${count} asset(s): ${why} (e.g. ${shown(example)})`);
    }
    out.push('');
  }
  for (const e of result.errors) out.push(paint.red(`error: ${stripControl(secrets.scrub(e.message), { keepNewlines: true })}`));
  const o = countOutcomes(result.outcomes, result.rules);
  const counts = countBySeverity(result.findings);
  const summary = (Object.keys(counts) as Severity[]).filter((s) => counts[s] > 0).map((s) => colour[s](`${counts[s]} ${s}`));
  out.push(
    `${result.assets.length} assets, ${result.findings.length} findings${summary.length ? ` (${summary.join(', ')})` : ''}, ${result.errors.length} input errors · policy bundle sha256:${result.bundleDigest.slice(0, 12)}`,
    `rule × asset outcomes: ${o.pass} pass, ${o.fail} fail, ${o['not-evaluated']} not evaluated, ${o.manual} manual, ${o['not-applicable']} not applicable`,
  );
  return out.join('\n');
}

/** One line per analyzed image: its package count per manager, e.g. `dpkg 412, npm 153, go 5`. */
function packageSummary(result: ScanResult): string[] {
  const lines: string[] = [];
  for (const asset of result.assets) {
    if (asset.kind !== 'image' || !asset.image.contents) continue;
    const counts = new Map<string, number>();
    for (const p of asset.image.contents.packages) counts.set(p.manager, (counts.get(p.manager) ?? 0) + 1);
    const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([m, n]) => `${m} ${n}`);
    lines.push(`  ${shown(asset.id)}: ${asset.image.contents.packages.length} packages${parts.length ? ` (${parts.join(', ')})` : ''}`);
  }
  return lines;
}
