// Local inputs an attacker (or an unlucky checkout) prepared: a directory with links that dangle, loop
// or lead out of it, a FIFO named *.json, a socket; files with a byte order mark, deep nesting, or a
// content that must not be quoted back. What cannot be read is named and skipped; the rest is scanned.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLocal } from '../../providers/local/collect.ts';
import { collectLocalImage, looksLikeLocalImage } from '../../providers/oci/index.ts';
import { runCli } from '../cli/helpers.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'posture-hostile-local-'));
const sample = (p: string) => path.resolve('samples', p);
const eksId = 'aws://444455556666/us-east-1/eks/cluster/analytics';
const images = { looksLikeImage: looksLikeLocalImage, collect: (f: string) => collectLocalImage(f) };

describe('a directory walk that trusts nothing', () => {
  it('names dangling links, loops, FIFOs and sockets, refuses links out of the directory, and scans the rest', async () => {
    const outside = tmp();
    const secretFile = path.join(outside, 'shadow.json');
    writeFileSync(secretFile, 'root:$6$saltsalt$SECRETHASHVALUE:19000:0:99999:7:::\n');
    const dir = tmp();
    copyFileSync(sample('aws/eks-cluster-analytics.json'), path.join(dir, 'eks.json'));
    mkdirSync(path.join(dir, 'nested'));
    symlinkSync(path.join(dir, 'missing.json'), path.join(dir, 'dangling.json'));
    symlinkSync('loop-b.json', path.join(dir, 'loop-a.json'));
    symlinkSync('loop-a.json', path.join(dir, 'loop-b.json'));
    symlinkSync('..', path.join(dir, 'nested', 'up')); // a directory loop
    symlinkSync(secretFile, path.join(dir, 'escape.json'));
    symlinkSync(outside, path.join(dir, 'outside-dir'));
    symlinkSync('eks.json', path.join(dir, 'nested', 'inside-link.json')); // dangling relative to nested/: named
    symlinkSync('../eks.json', path.join(dir, 'nested', 'good-link.json')); // inside: followed
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const socketPath = path.join(dir, 'daemon.sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(socketPath, r));
    try {
      const { assets, errors } = await collectLocal([dir], { images });
      expect(assets.map((a) => a.id)).toEqual([eksId, eksId]); // eks.json and nested/good-link.json
      const bySource = Object.fromEntries(errors.map((e) => [path.relative(dir, e.source), e.message]));
      expect(Object.keys(bySource).sort()).toEqual(['daemon.sock', 'dangling.json', 'escape.json', 'loop-a.json', 'loop-b.json', 'nested/inside-link.json', 'nested/up', 'outside-dir', 'pipe.json']);
      expect(bySource['dangling.json']).toMatch(/a dangling symlink; skipped$/);
      expect(bySource['loop-a.json']).toMatch(/a symlink loop; skipped$/);
      expect(bySource['nested/up']).toMatch(/a symlink loop \(leads back to .*\); skipped$/);
      expect(bySource['escape.json']).toContain(`symlink leads out of ${dir} (to ${secretFile}); refused, not read`);
      expect(bySource['outside-dir']).toContain('symlink leads out of');
      expect(bySource['pipe.json']).toMatch(/pipe\.json: a FIFO; skipped$/);
      expect(bySource['daemon.sock']).toMatch(/daemon\.sock: a socket; skipped$/);
      expect(JSON.stringify(errors)).not.toContain('SECRETHASHVALUE');
    } finally {
      server.close();
    }
  });

  it('never quotes a file back: a JSON parse error says where, not what', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'shadow.json'), 'root:$6$saltsalt$SECRETHASHVALUE:19000:0:99999:7:::\n');
    writeFileSync(path.join(dir, 'broken.json'), '{"cluster": {"name": "TOPSECRETNAME",,}}');
    const { errors } = await collectLocal([path.join(dir, 'shadow.json'), path.join(dir, 'broken.json')]);
    expect(errors.map((e) => e.message)).toEqual([
      `${path.join(dir, 'shadow.json')}: not valid JSON: Unexpected token 'r'`,
      `${path.join(dir, 'broken.json')}: not valid JSON (line 1, column 38): Expected double-quoted property name`,
    ]);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'eks.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(sample('aws/eks-cluster-analytics.json'))]));
    const { assets, errors } = await collectLocal([dir]);
    expect(errors).toEqual([]);
    expect(assets.map((a) => a.id)).toEqual([eksId]);
  });

  it('refuses deep nesting before anything recursive reads it, naming the file and where', async () => {
    const dir = tmp();
    // A real task definition with one extra field nested 100,000 levels deep (written as text: no recursion here).
    const text = readFileSync(sample('aws/ecs-task-definition-web.json'), 'utf8');
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    writeFileSync(path.join(dir, 'task.json'), text.replace('"taskDefinition": {', `"taskDefinition": {"deep": ${deep}, `));
    const run = await runCli(['scan', '--no-history', '--format', 'json', dir]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as { errors: { source: string; message: string }[] };
    expect(report.errors).toEqual([{ source: path.join(dir, 'task.json'), message: expect.stringMatching(/task\.json: JSON nested deeper than 100 levels \(line \d+, column \d+\); refused$/) }]);
  });

  it('says what a tar that is not an image is, and what a .tar that is not a tar is', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'cluster.json'), '{}');
    execFileSync('tar', ['-cf', path.join(dir, 'notes.tar'), '-C', dir, 'cluster.json']);
    writeFileSync(path.join(dir, 'garbage.tar'), 'this is not a tar archive at all');
    const { errors } = await collectLocal([path.join(dir, 'notes.tar'), path.join(dir, 'garbage.tar')], { images });
    expect(errors.map((e) => e.message)).toEqual([
      `${path.join(dir, 'notes.tar')}: not a container image: neither an OCI image layout (oci-layout + index.json) nor a docker save archive (manifest.json)`,
      `${path.join(dir, 'garbage.tar')}: not a tar or gzip archive (expected a docker save or OCI image archive)`,
    ]);
  });
});
