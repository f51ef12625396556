// Scan snapshots (v2) are JSON Lines written, hashed and read a record at a time: a header, one canonical JSON
// line per asset id in ascending order, an end line. The file's digest is the chain's; reading it back gives the
// scan's assets, findings and exceptions; a damaged file is refused naming the line, before any drift is shown.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../../core/canonical.ts';
import { complianceOf } from '../../cli/compliance.ts';
import { HistoryError, snapshotParts, SnapshotStore, type ChainEntry } from '../../core/snapshots.ts';
import type { ScanResult } from '../../core/scan.ts';
import type { ComplianceExtras } from '../../cli/compliance.ts';
import { sampleScan } from '../report/support.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'posture-snapshot-records-'));
let result: ScanResult;
let extras: ComplianceExtras;
let store: SnapshotStore;
let entry: ChainEntry;
let lines: string[];

beforeAll(async () => {
  ({ result, extras } = complianceOf(await sampleScan()));
  // An exception covering one finding, so a record carries one.
  const covered = result.findings[0]!;
  extras.suppressions = { [covered.fingerprint]: { exceptionId: 'EX-1', reason: 'accepted until the migration', owner: 'platform' } };
  store = new SnapshotStore(path.join(dir, 'history'));
  entry = store.append(snapshotParts(result, extras.scores, { policyVersion: 'test', suppressions: extras.suppressions }));
  lines = readFileSync(path.join(store.dir, entry.file), 'utf8').split('\n');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a v2 scan snapshot', () => {
  it('is a header, one canonical line per asset id in ascending order, and an end line; its digest is in the chain', () => {
    expect(lines.at(-1)).toBe(''); // every line ends with a newline
    const body = lines.slice(0, -1);
    for (const line of body) expect(line).toBe(canonicalJson(JSON.parse(line)));
    expect(JSON.parse(body[0]!)).toMatchObject({ v: 2, seq: 1, scanId: result.scanId, startedAt: result.startedAt, framework: null });
    const records = body.slice(1, -1).map((l) => (JSON.parse(l) as { asset: { id: string; assets: { asset: { id: string } }[]; findings: { assetId: string }[] } }).asset);
    const ids = [...new Set(result.assets.map((a) => a.id))].sort();
    expect(result.assets.length).toBeGreaterThan(10);
    expect(records.map((r) => r.id)).toEqual(ids);
    for (const r of records) {
      expect(r.assets.map((a) => a.asset.id)).toEqual([r.id]);
      for (const f of r.findings) expect(f.assetId).toBe(r.id);
    }
    expect(Object.keys(JSON.parse(body.at(-1)!) as object)).toEqual(['end']);
    expect(entry.sha256).toBe(sha256(readFileSync(path.join(store.dir, entry.file))));
  });

  it('reads back whole as the scan it recorded: every asset without raw, every finding, the exception', () => {
    const whole = store.read(entry);
    expect(whole.v).toBe(2);
    expect(whole.assets.map((a) => a.asset.id).sort()).toEqual(result.assets.map((a) => a.id).sort());
    for (const a of whole.assets) expect(a.asset).not.toHaveProperty('raw');
    expect(whole.findings.map((f) => f.fingerprint).sort()).toEqual(result.findings.map((f) => f.fingerprint).sort());
    expect(whole.suppressions).toEqual(extras.suppressions);
    expect(whole.scores[0]!.assets).toBe(result.assets.length);
    expect(whole.errors).toEqual([]);
  });

  /** A copy of the snapshot, its lines changed, in a store of its own; the entry hashes the changed bytes. */
  function tampered(change: (body: string[]) => string[], name: string): { store: SnapshotStore; entry: ChainEntry } {
    const copy = new SnapshotStore(path.join(dir, name));
    const bytes = `${change(lines.slice(0, -1)).join('\n')}\n`;
    mkdirSync(path.join(copy.dir, 'scans'), { recursive: true });
    writeFileSync(path.join(copy.dir, entry.file), bytes);
    return { store: copy, entry: { ...entry, sha256: sha256(bytes) } };
  }
  const readAll = ({ store: s, entry: e }: { store: SnapshotStore; entry: ChainEntry }) => [...s.open(e).records()];

  it('refuses records out of order, a file cut short, a line that is not JSON, and anything after the end line', () => {
    expect(() => readAll(tampered((b) => [b[0]!, b[2]!, b[1]!, ...b.slice(3)], 'swapped'))).toThrow(/line 3: asset .* is out of order/);
    expect(() => readAll(tampered((b) => b.slice(0, -1), 'cut'))).toThrow(/ends without its end line/);
    expect(() => readAll(tampered((b) => [b[0]!, '{"asset":', ...b.slice(2)], 'broken'))).toThrow(/line 2 is not JSON/);
    expect(() => readAll(tampered((b) => [...b, b[1]!], 'after-end'))).toThrow(/nothing may follow the end line/);
    expect(() => readAll(tampered((b) => [b[0]!.replace('"v":2', '"v":3'), ...b.slice(1)], 'version'))).toThrow(HistoryError);
  });

  it('refuses, once read to the end, a file whose bytes are not the ones its chain entry hashed', () => {
    // One digit of the first asset's raw digest changed: still a well-formed record.
    const edited = tampered((b) => [b[0]!, b[1]!.replace(/"rawSha256":"(.)/, (_m, c: string) => `"rawSha256":"${c === '0' ? '1' : '0'}`), ...b.slice(2)], 'edited');
    expect(readFileSync(path.join(edited.store.dir, entry.file), 'utf8')).not.toBe(lines.join('\n'));
    expect(() => readAll({ store: edited.store, entry })).toThrow(/does not match its chain digest/);
  });
});
