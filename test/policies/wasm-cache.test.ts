// The per-user cache of the compiled policy module (policies/wasm-cache.mjs), through the real CLI as a user
// runs it: a run with an empty cache compiles and leaves an entry behind; the next run takes the module from
// it and judges exactly as a plain compile does; a truncated, altered or foreign entry is never handed to V8,
// the run compiles as usual and the entry is rewritten. The reference is a run with the cache off.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, freshEntry } from '../../scripts/lib/cli-bundle.mjs';
import { cacheDir, entryFile, maxEntries, prune } from '../../policies/wasm-cache.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmFile = path.join(root, 'policies/dist/policy.wasm');
const samples = path.join(root, 'samples/aws');
let work: string;

interface Run {
  cache: string;
  verdicts: unknown;
}

/** `posture scan -f json samples/aws` in a new process; what the report judged, and where the module came from. */
async function scan(cacheHome: string, env: Record<string, string> = {}): Promise<Run> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(root, 'bin/posture.js'), 'scan', '--no-history', '-f', 'json', samples], {
    cwd: work,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, POSTURE_TIMINGS: '1', NODE_OPTIONS: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const cache = /policy module: (\w+)/.exec(stderr)?.[1];
  if (!cache) throw new Error(`no policy module timing in stderr: ${stderr}`);
  const report = JSON.parse(stdout) as { summary: unknown; findings: { fingerprint: string; ruleId: string; path: string; evidenceHash: string }[]; unjudged: unknown };
  return { cache, verdicts: { summary: report.summary, findings: report.findings.map((f) => [f.fingerprint, f.ruleId, f.path, f.evidenceHash]), unjudged: report.unjudged } };
}

/** The writer a run starts is detached; its lock goes when the entry is written (or it gave up). */
async function writerDone(entry: string): Promise<void> {
  for (let i = 0; i < 1200 && existsSync(`${entry}.lock`); i++) await new Promise((r) => setTimeout(r, 100));
  expect(existsSync(`${entry}.lock`), 'the cache writer finished').toBe(false);
}

let reference: Run;
beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'posture-wasm-cache-'));
  if (!freshEntry()) await buildCli();
  reference = await scan(path.join(work, 'unused'), { POSTURE_WASM_CACHE: 'off' });
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('compiled policy cache', () => {
  const home = () => path.join(work, 'cache-home');
  const entry = () => entryFile(readFileSync(wasmFile), { XDG_CACHE_HOME: home() });

  it('a run with an empty cache compiles; the entry it leaves gives the next run the module, judging as a plain compile does', async () => {
    expect(reference.cache).toBe('off');
    expect((reference.verdicts as { findings: unknown[] }).findings.length).toBeGreaterThan(3);
    const first = await scan(home());
    expect(first.cache).toBe('miss');
    expect(first.verdicts).toEqual(reference.verdicts);
    await writerDone(entry());
    expect(entry().startsWith(path.join(home(), 'posture', 'wasm') + path.sep)).toBe(true);
    const second = await scan(home());
    expect(second.cache).toBe('hit');
    expect(second.verdicts).toEqual(reference.verdicts);
  });

  const damage: Record<string, (blob: Buffer) => Buffer> = {
    'truncated to half': (blob) => blob.subarray(0, blob.length >> 1),
    'with one payload byte flipped': (blob) => {
      const copy = Buffer.from(blob);
      copy[copy.length - 100]! ^= 0xff;
      return copy;
    },
    'that is empty': () => Buffer.alloc(0),
    'in another format': () => Buffer.from('not a posture cache entry\n'.repeat(100)),
  };
  for (const [what, spoil] of Object.entries(damage)) {
    it(`an entry ${what} is ignored (the run compiles and judges as usual) and rewritten`, async () => {
      const good = readFileSync(entry());
      writeFileSync(entry(), spoil(good));
      const run = await scan(home());
      expect(run.cache).toBe('corrupt');
      expect(run.verdicts).toEqual(reference.verdicts);
      await writerDone(entry());
      expect((await scan(home())).cache).toBe('hit');
    });
  }

  it('an entry in a directory others may write is never used (the run compiles and judges as usual)', async () => {
    const dir = path.dirname(entry());
    expect((await scan(home())).cache).toBe('hit');
    chmodSync(dir, 0o777);
    try {
      const run = await scan(home());
      expect(run.cache).toBe('untrusted');
      expect(run.verdicts).toEqual(reference.verdicts);
    } finally {
      chmodSync(dir, 0o700);
    }
    chmodSync(entry(), 0o666);
    try {
      expect((await scan(home())).cache).toBe('untrusted');
    } finally {
      chmodSync(entry(), 0o600);
    }
    expect((await scan(home())).cache).toBe('hit');
  });

  it('lives under XDG_CACHE_HOME (a relative one is ignored), named by the Wasm bytes', () => {
    const wasm = readFileSync(wasmFile);
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/u' })).toBe('/var/cache/u/posture/wasm');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative/dir' })).toBe(path.join(homedir(), '.cache', 'posture', 'wasm'));
    const other = Buffer.from(wasm);
    other[other.length - 1]! ^= 1;
    expect(entryFile(other, {})).not.toBe(entryFile(wasm, {}));
  });

  it('keeps at most its bound of entries, the newest, and removes what dead writers left', () => {
    const dir = path.join(work, 'prune');
    rmSync(dir, { recursive: true, force: true });
    const now = Date.now() / 1000;
    const bins = Array.from({ length: maxEntries + 3 }, (_, i) => path.join(dir, `${String(i).padStart(2, '0')}.bin`));
    mkdirSync(dir, { recursive: true });
    for (const file of bins) writeFileSync(file, 'x');
    for (const [i, file] of bins.entries()) utimesSync(file, now - 1000 + i, now - 1000 + i);
    const deadLock = path.join(dir, '00.bin.lock');
    writeFileSync(deadLock, '');
    utimesSync(deadLock, now - 3600, now - 3600);
    prune(dir);
    expect(readdirSync(dir).sort()).toEqual(bins.slice(3).map((f) => path.basename(f)));
  });
});
