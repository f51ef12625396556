// JUnit XML for CI dashboards: one <testsuite> per framework, one <testcase> per control.
// A control fails when any assessed asset fails it; manual and not-assessed controls are skipped,
// so a green build never claims a control nobody checked.
import { XMLBuilder } from 'fast-xml-parser';
import { formatScore, type ControlScore, type FrameworkScore } from '../core/scores.ts';
import { invalidXmlChars, type ComplianceReportInput } from './compliance-input.ts';

const clean = (s: string) => s.replace(invalidXmlChars, '\uFFFD');

function testcase(fw: FrameworkScore, c: ControlScore, details: (assetId: string) => string[]): Record<string, unknown> {
  const base = { '@_classname': clean(`${fw.id}`), '@_name': clean(`${c.id} ${c.title}`) };
  if (c.manual) return { ...base, skipped: { '@_message': 'manual control: no rule evidences it' } };
  if (c.score === null) {
    const why = c.notEvaluated
      ? `not assessed: its rules apply to ${c.notEvaluated} asset(s) but could not judge them (${c.notEvaluatedAssets.slice(0, 5).join(', ')}${c.notEvaluated > 5 ? ', …' : ''})`
      : c.rules.length === 0 && c.preview.length
        ? `not assessed: its only rules (${c.preview.join(', ')}) are in preview`
        : 'not assessed: none of its rules applies to an asset in scope';
    return { ...base, skipped: { '@_message': clean(why) } };
  }
  const unjudged = c.notEvaluated ? `; ${c.notEvaluated} asset(s) not evaluated` : '';
  if (c.failingAssets.length === 0) return { ...base, 'system-out': clean(`${c.passed}/${c.assessed} assets pass (rules ${c.rules.join(', ')})${unjudged}`) };
  const body = c.failingAssets.flatMap((id) => [`${id}`, ...details(id).map((d) => `  ${d}`)]).join('\n');
  return {
    ...base,
    failure: { '@_message': clean(`${c.failingAssets.length} of ${c.assessed} assets fail (score ${formatScore(c.score)})${unjudged}`), '@_type': 'ControlFailed', '#text': clean(body) },
  };
}

export function renderJunit(input: ComplianceReportInput): string {
  const { result, scores } = input;
  const findingsBy = new Map<string, string[]>();
  for (const f of result.findings) {
    const key = `${f.assetId}\u0000${f.ruleId}`;
    findingsBy.set(key, [...(findingsBy.get(key) ?? []), `${f.ruleId} [${f.severity}] ${f.message} (${f.path})`]);
  }
  const suites = scores.all.frameworks.map((fw) => {
    const cases = fw.controls.map((c) => testcase(fw, c, (assetId) => c.rules.flatMap((r) => findingsBy.get(`${assetId}\u0000${r}`) ?? [])));
    return {
      '@_name': clean(`${fw.name} ${fw.version}${fw.mapping === 'unverified' ? ' (unverified mapping)' : ''}`),
      '@_id': fw.id,
      '@_tests': cases.length,
      '@_failures': cases.filter((c) => 'failure' in c).length,
      '@_skipped': cases.filter((c) => 'skipped' in c).length,
      '@_errors': 0,
      '@_timestamp': result.startedAt,
      properties: { property: [{ '@_name': 'score', '@_value': formatScore(fw.score) }, { '@_name': 'formula', '@_value': scores.formula }] },
      testcase: cases,
    };
  });
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'posture compliance',
      '@_tests': suites.reduce((n, s) => n + s['@_tests'], 0),
      '@_failures': suites.reduce((n, s) => n + s['@_failures'], 0),
      '@_skipped': suites.reduce((n, s) => n + s['@_skipped'], 0),
      '@_errors': result.errors.length,
      testsuite: suites,
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true });
  return (builder.build(doc) as string).trimEnd();
}
