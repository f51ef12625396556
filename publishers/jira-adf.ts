// Atlassian Document Format bodies for Jira v3 (descriptions and comments must be ADF, not text).
import type { FindingRecord } from '../core/state/record.ts';

export type AdfNode = { type: string; text?: string; attrs?: Record<string, unknown>; marks?: { type: string }[]; content?: AdfNode[] };
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Jira rejects descriptions over 32 767 characters; evidence is cut well below that. */
const maxEvidenceChars = 20_000;

const text = (value: string, code = false): AdfNode => ({ type: 'text', text: value.length ? value : ' ', ...(code ? { marks: [{ type: 'code' }] } : {}) });
const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const heading = (value: string): AdfNode => ({ type: 'heading', attrs: { level: 3 }, content: [text(value)] });
const codeBlock = (value: string): AdfNode => ({ type: 'codeBlock', attrs: { language: 'json' }, content: [text(value)] });
const bullets = (items: string[]): AdfNode => ({ type: 'bulletList', content: items.map((i) => ({ type: 'listItem', content: [paragraph(text(i))] })) });

export function evidenceText(record: FindingRecord): string {
  const json = JSON.stringify(record.finding.evidence ?? null, null, 2) ?? 'null';
  return json.length > maxEvidenceChars ? `${json.slice(0, maxEvidenceChars)}\n… (truncated, ${json.length} characters)` : json;
}

export function findingDescription(record: FindingRecord): AdfDoc {
  const f = record.finding;
  const controls = Object.entries(f.frameworks).map(([fw, ids]) => `${fw}: ${ids.join(', ')}${f.unverified.includes(fw) ? ' (mapping unverified)' : ''}`);
  return {
    type: 'doc',
    version: 1,
    content: [
      paragraph(text(f.message)),
      heading('Asset'),
      paragraph(text(f.assetId, true)),
      paragraph(text(`${f.provider} · account ${f.account || '-'} · region ${f.region || '-'} · ${f.assetKind}`)),
      heading('Evidence'),
      paragraph(text('At '), text(f.path || '(asset)', true)),
      codeBlock(evidenceText(record)),
      heading('Controls'),
      controls.length ? bullets(controls) : paragraph(text('No framework mapping.')),
      heading('Remediation'),
      paragraph(text(f.remediation)),
      paragraph(text(`Rule ${f.ruleId} · severity ${f.severity} · fingerprint ${record.fingerprint} · first seen ${record.firstSeen}`)),
    ],
  };
}

export function noteDoc(lines: string[], evidence?: string): AdfDoc {
  return { type: 'doc', version: 1, content: [...lines.map((l) => paragraph(text(l))), ...(evidence ? [codeBlock(evidence)] : [])] };
}
