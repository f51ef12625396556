// Scan snapshots are written and hashed in pieces; the file must still be canonicalJson(snapshot) and a
// newline, byte for byte, or every existing chain and evidence bundle would stop verifying.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonChunks, sha256 } from '../../core/canonical.ts';
import { snapshotOf, SnapshotStore } from '../../core/snapshots.ts';
import { complianceOf } from '../../cli/compliance.ts';
import { sampleScan } from '../report/support.ts';

const awkward = {
  z: [1, { b: 2, a: [3, { y: undefined, x: 'é😀\n"' }] }, null, []],
  a: { nested: { deeper: [true, false, -0, 1e21] }, missing: undefined, empty: {} },
  m: 'text',
  '10': 'integer-like key',
};

describe('canonicalJsonChunks', () => {
  it.each([0, 1, 2, 3, 6])('joins to canonicalJson with the outer %i levels taken apart', (levels) => {
    expect([...canonicalJsonChunks(awkward, levels)].join('')).toBe(canonicalJson(awkward));
    expect([...canonicalJsonChunks([awkward, [], {}], levels)].join('')).toBe(canonicalJson([awkward, [], {}]));
  });

  it('writes a scan snapshot file that is canonicalJson of the snapshot and a newline, with that digest in the chain', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-snapshot-chunks-'));
    try {
      const { result, extras } = complianceOf(await sampleScan());
      const store = new SnapshotStore(dir);
      const entry = store.append(snapshotOf(result, extras.scores, { policyVersion: 'test', suppressions: extras.suppressions }));
      const bytes = readFileSync(path.join(dir, entry.file));
      const expected = `${canonicalJson({ v: 1, seq: 1, ...snapshotOf(result, extras.scores, { policyVersion: 'test', suppressions: extras.suppressions }) })}\n`;
      expect(bytes.toString('utf8')).toBe(expected);
      expect(entry.sha256).toBe(sha256(bytes));
      expect(store.read(entry).assets).toHaveLength(result.assets.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
