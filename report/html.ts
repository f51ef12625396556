// The HTML compliance report: one self-contained file (inline CSS and JS, no external request,
// enforced by its Content-Security-Policy). Rendered on the server for the "all assets" scope;
// the inline script swaps in the precomputed per-cloud / per-account scores and hides findings
// outside the chosen cloud, account and minimum severity.
import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.ts';
import { formatScore, type ComplianceScores, type ControlScore, type FrameworkScore, type ScopeScores, accountKey, cloudKey } from '../core/scores.ts';
import type { DriftReport } from '../core/drift.ts';
import { severityRank, type Severity } from '../policies/catalog.ts';
import { countOutcomes } from '../core/outcomes.ts';
import { evidenceText, unjudgedPairs, type ComplianceReportInput } from './compliance-input.ts';

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside <script>: no `</script>`, no line separators that end a JS string. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function scoreClass(score: number | null): string {
  if (score === null) return 'na';
  return score >= 0.9 ? 'good' : score >= 0.6 ? 'fair' : 'poor';
}

function scoreCell(score: number | null, key: string): string {
  const pct = score === null ? 0 : Math.round(score * 100);
  return `<td class="score ${scoreClass(score)}" data-score="${esc(key)}"><span class="num">${formatScore(score)}</span><span class="bar"><span style="width:${pct}%"></span></span></td>`;
}

function findingBlock(f: Finding, suppressed: string | undefined, assetCloud: string, assetAccount: string): string {
  return `<div class="finding sev-${f.severity}" data-severity="${f.severity}" data-cloud="${esc(assetCloud)}" data-account="${esc(assetAccount)}">
<div class="fhead"><span class="sev">${f.severity}</span> <b>${esc(f.ruleId)}</b> ${esc(f.title)}${suppressed ? ` <span class="badge">excepted: ${esc(suppressed)}</span>` : ''}</div>
<div class="msg">${esc(f.message)}</div>
<div class="kv"><span>path</span><code>${esc(f.path)}</code></div>
<details class="ev"><summary>evidence</summary><pre>${esc(evidenceText(f.evidence))}</pre></details>
<div class="fix"><span>remediation</span> ${esc(f.remediation)}</div></div>`;
}

function manualRow(c: ControlScore): string {
  return `<tr class="control manual"><td class="cid">${esc(c.id)}</td><td>${esc(c.title)}</td><td><span class="badge manual">manual</span></td></tr>`;
}

const ratio = (passed: number, assessed: number, notEvaluated: number) => `${passed}/${assessed}${notEvaluated ? ` · ${notEvaluated} not evaluated` : ''}`;

function controlRows(fw: FrameworkScore, input: ComplianceReportInput, byAssetRule: Map<string, Finding[]>): string {
  const assets = new Map(input.result.assets.map((a) => [a.id, a]));
  return fw.controls
    .filter((c) => !c.manual)
    .map((c: ControlScore) => {
      const key = `${fw.id}|${c.id}`;
      const status = c.score === null ? '<span class="badge na">not assessed</span>' : c.failingAssets.length ? '<span class="badge fail">fail</span>' : '<span class="badge pass">pass</span>';
      const preview = c.preview.length ? ` <span class="dim">(preview, not counted: ${c.preview.map(esc).join(' · ')})</span>` : '';
      const row = `<tr class="control" data-control="${esc(key)}"><td class="cid">${esc(c.id)}</td><td>${esc(c.title)}<div class="rules">${c.rules.map(esc).join(' · ')}${preview}</div></td>${scoreCell(c.score, key)}<td class="ratio" data-ratio="${esc(key)}">${ratio(c.passed, c.assessed, c.notEvaluated)}</td><td>${status}</td></tr>`;
      if (!c.failingAssets.length) return row;
      const failing = c.failingAssets
        .map((id) => {
          const a = assets.get(id);
          const cloud = a ? cloudKey(a) : '';
          const account = a ? accountKey(a) : '';
          const findings = c.rules.flatMap((r) => byAssetRule.get(`${id}\u0000${r}`) ?? []);
          return `<div class="asset" data-cloud="${esc(cloud)}" data-account="${esc(account)}"><div class="aid">${esc(id)} <span class="dim">${esc(a?.kind ?? '')} · ${esc(a?.provider ?? '')} ${esc(a?.account ?? '')} ${esc(a?.region ?? '')}</span></div>${findings.map((f) => findingBlock(f, input.suppressions?.[f.fingerprint]?.exceptionId, cloud, account)).join('')}</div>`;
        })
        .join('');
      return `${row}<tr class="drill"><td></td><td colspan="4"><details><summary>${c.failingAssets.length} failing asset(s)</summary>${failing}</details></td></tr>`;
    })
    .join('\n');
}

function frameworkSection(fw: FrameworkScore, input: ComplianceReportInput, byAssetRule: Map<string, Finding[]>): string {
  const manual = fw.controls.filter((c) => c.manual);
  const head = `<h2>${esc(fw.name)} <span class="dim">${esc(fw.version)}</span>${fw.mapping === 'unverified' ? ' <span class="badge manual">unverified mapping</span>' : ''}</h2>`;
  const table = `<table><thead><tr><th>Control</th><th>Title</th><th>Score</th><th>Passed / assessed</th><th>Status</th></tr></thead><tbody>${controlRows(fw, input, byAssetRule)}</tbody></table>`;
  const manualPart = manual.length
    ? `<details class="manual-list"><summary>${manual.length} manual control(s): no rule evidences them, so they need a reviewer and are never counted as passed</summary><table><tbody>${manual.map(manualRow).join('')}</tbody></table></details>`
    : '';
  return `<section class="framework" id="fw-${esc(fw.id)}">${head}${table}${manualPart}</section>`;
}

function summaryTable(scope: ScopeScores): string {
  const rows = scope.frameworks
    .map(
      (fw) =>
        `<tr data-fw="${esc(fw.id)}"><td><a href="#fw-${esc(fw.id)}">${esc(fw.name)}</a> <span class="dim">${esc(fw.version)}</span>${fw.mapping === 'unverified' ? ' <span class="badge manual" title="analyst mapping, not read in a primary source">unverified mapping</span>' : ''}</td>${scoreCell(fw.score, fw.id)}<td class="num" data-count="${esc(fw.id)}|fullyPassed">${fw.counts.fullyPassed}</td><td class="num" data-count="${esc(fw.id)}|assessed">${fw.counts.assessed}</td><td class="num" data-count="${esc(fw.id)}|notAssessed">${fw.counts.notAssessed}</td><td class="num">${fw.counts.manual}</td></tr>`,
    )
    .join('\n');
  return `<table id="summary"><thead><tr><th>Framework</th><th>Score</th><th title="controls every assessed asset passes">Controls passed</th><th>Controls assessed</th><th>Not assessed</th><th>Manual</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Pairs that are neither pass nor fail; bounded so a huge estate does not make a huge page. */
function unjudgedSection(input: ComplianceReportInput): string {
  const pairs = unjudgedPairs(input.result);
  const o = countOutcomes(input.result.outcomes, input.result.rules);
  const shown = pairs.slice(0, 1000);
  const rows = shown
    .map((p) => `<tr><td class="cid">${esc(p.ruleId)}</td><td class="aid">${esc(p.assetId)}</td><td><span class="badge ${p.outcome === 'manual' ? 'manual' : 'na'}">${p.outcome === 'manual' ? 'manual' : 'not evaluated'}</span></td><td>${esc(p.reason)}: ${esc(p.detail)}</td></tr>`)
    .join('');
  return `<section id="outcomes"><h2>Rule outcomes</h2><p id="outcome-counts">${o.pass} pass · ${o.fail} fail · ${o['not-evaluated']} not evaluated · ${o.manual} manual · ${o['not-applicable']} not applicable (rule × asset pairs; only pass and fail count in scores)</p>${
    pairs.length
      ? `<details><summary>${pairs.length} pair(s) could not be judged${pairs.length > shown.length ? ` (first ${shown.length} shown; the JSON and CSV reports list all)` : ''}</summary><table><thead><tr><th>Rule</th><th>Asset</th><th>Outcome</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table></details>`
      : ''
  }</section>`;
}

function driftSection(drift: DriftReport | null | undefined): string {
  if (!drift) return '<section id="drift"><h2>Changes since the previous scan</h2><p class="dim">No earlier scan recorded: nothing to compare with.</p></section>';
  const t = drift.totals;
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const items = drift.assets
    .filter((a) => a.status !== 'unchanged' || a.opened.length || a.closed.length)
    .map(
      (a) =>
        `<div class="asset" data-cloud="cloud:${esc(a.provider)}" data-account="account:${esc(a.provider)}:${esc(a.account)}"><div class="aid"><span class="badge">${a.status}</span> ${esc(a.assetId)}</div><ul>${a.changes.map((c) => `<li><code>${esc(c.path)}</code>: <del>${esc(show(c.before))}</del> → <ins>${esc(show(c.after))}</ins></li>`).join('')}${a.rawChanged && !a.changes.length ? '<li>provider response changed</li>' : ''}${a.opened.map((f) => `<li class="opened">opened ${esc(f.ruleId)} <span class="sev-${f.severity}">${f.severity}</span> ${esc(f.title)}</li>`).join('')}${a.closed.map((f) => `<li class="closed">closed ${esc(f.ruleId)} ${esc(f.title)}</li>`).join('')}</ul></div>`,
    )
    .join('');
  return `<section id="drift"><h2>Changes since scan ${drift.from.seq} (${esc(drift.from.startedAt)})</h2><p id="drift-totals">${t.changed} changed, ${t.added} added, ${t.removed} removed assets; ${t.opened} findings opened, ${t.closed} closed.</p>${items}</section>`;
}

/** Per-scope numbers the filter script swaps in: scope → framework → score, counts, controls. */
function scopeData(scores: ComplianceScores) {
  const out: Record<string, { label: string; f: Record<string, { s: number | null; n: Record<string, number>; c: Record<string, [number, number, number | null, number]> }> }> = {};
  for (const scope of [scores.all, ...scores.clouds, ...scores.accounts]) {
    out[scope.key] = {
      label: scope.label,
      f: Object.fromEntries(
        scope.frameworks.map((fw) => [fw.id, { s: fw.score, n: fw.counts, c: Object.fromEntries(fw.controls.map((c) => [c.id, [c.passed, c.assessed, c.score, c.notEvaluated]])) }]),
      ),
    };
  }
  return out;
}

const style = `
:root{--fg:#1d2330;--dim:#6b7385;--line:#e3e6ec;--bg:#f6f7f9;--good:#1f8a4c;--fair:#b7791f;--poor:#c53030;--crit:#8b1538}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:20px}header .meta{color:#c3c8d4;font-size:12.5px}
main{padding:18px 28px;max-width:1280px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 10px}.dim{color:var(--dim);font-size:12.5px}
.filters{display:flex;gap:16px;align-items:end;flex-wrap:wrap}.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--dim);gap:3px}
select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:5px;min-width:170px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:8px}.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:90px}.card b{display:block;font-size:18px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:12px;color:var(--dim);font-weight:600}
td.num,td.ratio{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.score{white-space:nowrap;width:170px}.score .num{display:inline-block;width:52px;text-align:right;font-weight:600;margin-right:8px;font-variant-numeric:tabular-nums}
.bar{display:inline-block;width:90px;height:8px;background:#edf0f4;border-radius:4px;vertical-align:middle;overflow:hidden}.bar span{display:block;height:100%}
.good .num{color:var(--good)}.good .bar span{background:var(--good)}.fair .num{color:var(--fair)}.fair .bar span{background:var(--fair)}.poor .num{color:var(--poor)}.poor .bar span{background:var(--poor)}.na .num{color:var(--dim)}
.badge{display:inline-block;font-size:11px;padding:1px 7px;border-radius:10px;background:#eef0f4;color:#3c4456}.badge.pass{background:#e3f4ea;color:var(--good)}.badge.fail{background:#fbe7e7;color:var(--poor)}.badge.manual{background:#fdf3dc;color:#8a5a00}
.cid{font-family:ui-monospace,monospace;white-space:nowrap}.rules{font-size:11.5px;color:var(--dim);font-family:ui-monospace,monospace}
tr.drill td{border-bottom:1px solid var(--line);padding-top:0}details summary{cursor:pointer;color:#2b5fb4}
.asset{border-left:3px solid var(--line);margin:8px 0 8px 4px;padding:2px 0 2px 10px}.aid{font-family:ui-monospace,monospace;font-size:12.5px;word-break:break-all}
.finding{margin:6px 0;padding:6px 8px;border-radius:5px;background:#fafbfc;border:1px solid var(--line)}.fhead{font-size:13px}.msg{margin:2px 0}
.sev{display:inline-block;text-transform:uppercase;font-size:10.5px;font-weight:700;padding:1px 6px;border-radius:4px;color:#fff;background:#6b7385}
.sev-critical .sev,.sev-critical.sev{background:var(--crit)}.sev-high .sev{background:var(--poor)}.sev-medium .sev{background:var(--fair)}.sev-low .sev{background:#2b6cb0}
.kv span,.fix span{color:var(--dim);font-size:12px;margin-right:6px}pre{white-space:pre-wrap;word-break:break-all;background:#f1f3f6;padding:6px;border-radius:4px;max-height:260px;overflow:auto;font-size:12px}
.hidden{display:none!important}ins{background:#e3f4ea;text-decoration:none}del{background:#fbe7e7}li.opened{color:var(--poor)}li.closed{color:var(--good)}
.formula{font-size:12.5px;color:var(--dim);margin-top:10px}.framework>table{table-layout:fixed}.framework>table th:nth-child(1){width:120px}.framework>table th:nth-child(3){width:180px}.framework>table th:nth-child(4){width:130px}.framework>table th:nth-child(5){width:110px}.manual-list{margin-top:10px}.manual-list summary{color:#8a5a00}tr.manual td{color:#4a5160}`;

/** The filter script: plain DOM, no library; reads the embedded data, never the network. */
const script = `
(function(){
var data=JSON.parse(document.getElementById('posture-data').textContent);
var rank={info:0,low:1,medium:2,high:3,critical:4};
var $=function(s){return Array.prototype.slice.call(document.querySelectorAll(s));};
var cloud=document.getElementById('f-cloud'),account=document.getElementById('f-account'),sev=document.getElementById('f-severity');
function fmt(s){return s===null?'n/a':(Math.round(s*1000)/10).toFixed(1)+'%';}
function cls(s){return s===null?'na':s>=0.9?'good':s>=0.6?'fair':'poor';}
function paint(td,s){td.className='score '+cls(s);td.querySelector('.num').textContent=fmt(s);td.querySelector('.bar span').style.width=(s===null?0:Math.round(s*100))+'%';}
function apply(){
  $('#f-account option[data-cloud]').forEach(function(o){o.hidden=!!cloud.value&&o.getAttribute('data-cloud')!==cloud.value;});
  if(account.value&&cloud.value&&account.selectedOptions[0].getAttribute('data-cloud')!==cloud.value)account.value='';
  var key=account.value||cloud.value||'all',scope=data.scopes[key],min=rank[sev.value]||0;
  document.getElementById('scope-label').textContent=scope.label;
  $('[data-score]').forEach(function(td){var k=td.getAttribute('data-score').split('|'),fw=scope.f[k[0]];if(!fw)return;paint(td,k.length>1?fw.c[k[1]][2]:fw.s);});
  $('[data-ratio]').forEach(function(td){var k=td.getAttribute('data-ratio').split('|'),c=scope.f[k[0]]&&scope.f[k[0]].c[k[1]];if(c)td.textContent=c[0]+'/'+c[1]+(c[3]?' · '+c[3]+' not evaluated':'');});
  $('[data-count]').forEach(function(td){var k=td.getAttribute('data-count').split('|'),fw=scope.f[k[0]];if(fw)td.textContent=fw.n[k[1]];});
  var inScope=function(el){return (!cloud.value||el.getAttribute('data-cloud')===cloud.value)&&(!account.value||el.getAttribute('data-account')===account.value);};
  $('.finding').forEach(function(el){el.classList.toggle('hidden',!inScope(el)||rank[el.getAttribute('data-severity')]<min);});
  $('.asset').forEach(function(el){var fs=el.querySelectorAll('.finding'),vis=el.querySelectorAll('.finding:not(.hidden)');el.classList.toggle('hidden',!inScope(el)||(fs.length>0&&vis.length===0));});
  $('tr.drill').forEach(function(tr){var n=tr.querySelectorAll('.asset:not(.hidden)').length;tr.classList.toggle('hidden',n===0);var s=tr.querySelector('summary');if(s)s.textContent=n+' failing asset(s)';});
}
[cloud,account,sev].forEach(function(el){el.addEventListener('change',apply);});
apply();
})();`;

// Only this exact script may run: an injected <script> (were escaping ever to fail) is blocked by the CSP.
const scriptHash = createHash('sha256').update(script).digest('base64');

export function renderHtml(input: ComplianceReportInput): string {
  const { result, scores } = input;
  const byAssetRule = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const k = `${f.assetId}\u0000${f.ruleId}`;
    byAssetRule.set(k, [...(byAssetRule.get(k) ?? []), f]);
  }
  for (const list of byAssetRule.values()) list.sort((a, b) => severityRank[b.severity] - severityRank[a.severity]);
  const counts = Object.fromEntries(severities.map((s) => [s, result.findings.filter((f) => f.severity === s).length]));
  const data = { scopes: scopeData(scores) };
  const cloudOptions = scores.clouds.map((c) => `<option value="${esc(c.key)}">${esc(c.label)} (${c.assets} assets)</option>`).join('');
  const accountOptions = scores.accounts.map((a) => `<option value="${esc(a.key)}" data-cloud="cloud:${esc(a.provider)}">${esc(a.label)} (${a.assets})</option>`).join('');
  const frameworks = scores.all.frameworks.map((fw) => frameworkSection(fw, input, byAssetRule)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>posture compliance report — ${esc(result.startedAt)}</title><style>${style}</style></head>
<body><header><h1>Compliance report${scores.framework ? `: ${esc(scores.all.frameworks[0]?.name ?? scores.framework)}` : ''}</h1>
<div class="meta">scan ${esc(result.scanId)} · ${esc(result.startedAt)} · policy bundle sha256:${esc(result.bundleDigest.slice(0, 12))} · ${result.rules.length} rules</div></header>
<main>
<section><div class="filters">
<label>Cloud<select id="f-cloud"><option value="">All clouds</option>${cloudOptions}</select></label>
<label>Account / subscription / project<select id="f-account"><option value="">All accounts</option>${accountOptions}</select></label>
<label>Findings at or above<select id="f-severity"><option value="info">all severities</option><option value="low">low</option><option value="medium">medium</option><option value="high">high</option><option value="critical">critical</option></select></label>
<div class="dim">Scope: <b id="scope-label">All assets</b></div></div>
<div class="cards"><div class="card"><span class="dim">Assets</span><b id="count-assets">${result.assets.length}</b></div><div class="card"><span class="dim">Findings</span><b id="count-findings">${result.findings.length}</b></div>${severities
    .map((s) => `<div class="card sev-${s}"><span class="dim">${s}</span><b data-severity-count="${s}">${counts[s]}</b></div>`)
    .join('')}<div class="card"><span class="dim">Input errors</span><b>${result.errors.length}</b></div></div></section>
<section><h2>Frameworks</h2>${summaryTable(scores.all)}<p class="formula" id="formula"><b>How scores are computed.</b> ${esc(scores.formula)}</p></section>
${frameworks}
${unjudgedSection(input)}
${driftSection(input.drift)}
${result.errors.length ? `<section><h2>Input errors</h2><ul>${result.errors.map((e) => `<li>${esc(e.message)}</li>`).join('')}</ul></section>` : ''}
</main>
<script type="application/json" id="posture-data">${scriptJson(data)}</script>
<script>${script}</script>
</body></html>`;
}
