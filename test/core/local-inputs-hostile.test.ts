// Local inputs an attacker (or an unlucky checkout) prepared: a directory with links that dangle, loop
// or lead out of it, a FIFO named *.json, a socket; files with a byte order mark, deep nesting, or a
// content that must not be quoted back. What cannot be read is named and skipped; the rest is scanned.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

// Kubernetes manifests and Helm charts are local inputs too: the same walk, the same bounded non-blocking
// reads, the same byte order mark and nesting rules as JSON.
describe('YAML manifests and Helm charts, read as warily as JSON', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n';
  const podId = 'k8s://manifests/default/Pod/p';
  const savedPath = process.env.PATH;
  beforeEach(() => {
    process.env.PATH = `${path.resolve('.tools/bin')}${path.delimiter}${savedPath ?? ''}`; // the real helm
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('names a FIFO and a link out of the directory named *.yaml, and reads the rest', async () => {
    const outside = tmp();
    writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: TOPSECRETNAME\n');
    const dir = tmp();
    writeFileSync(path.join(dir, 'pod.yaml'), pod);
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'leak.yml'));
    const { assets, errors } = await collectLocal([dir]);
    expect(assets.map((a) => a.id)).toEqual([podId]);
    expect(errors.map((e) => e.message)).toEqual([
      `${path.join(dir, 'leak.yml')}: symlink leads out of ${dir} (to ${path.join(outside, 'secret.yaml')}); refused, not read`,
      `${path.join(dir, 'pipe.yaml')}: a FIFO; skipped`,
    ]);
  });

  it('accepts a byte order mark before a YAML stream', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'pod.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pod)]));
    const { assets, errors } = await collectLocal([path.join(dir, 'pod.yaml')]);
    expect(errors).toEqual([]);
    expect(assets.map((a) => a.id)).toEqual([podId]);
  });

  it('refuses YAML nested deeper than JSON may be, naming the file and where, through the CLI', async () => {
    const dir = tmp();
    // 150 levels (the YAML library reads it; our limit refuses it) and 100,000 levels (the library's own
    // recursion gives up): both are the same refusal, each naming its file.
    writeFileSync(path.join(dir, 'a-deep.yaml'), `${pod}  deep: ${'['.repeat(150)}${']'.repeat(150)}\n`);
    writeFileSync(path.join(dir, 'b-deeper.yaml'), `${pod}  deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    writeFileSync(path.join(dir, 'c-pod.yaml'), pod);
    const run = await runCli(['scan', '--no-history', '--format', 'json', dir]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as { errors: { source: string; message: string }[]; assets: { id: string }[] };
    expect(report.assets.map((a) => a.id)).toEqual([podId]);
    expect(report.errors).toEqual([
      { source: path.join(dir, 'a-deep.yaml'), message: expect.stringMatching(/a-deep\.yaml: YAML nested deeper than 100 levels \(line 9, column \d+\); refused$/) },
      { source: path.join(dir, 'b-deeper.yaml'), message: expect.stringMatching(/b-deeper\.yaml: YAML nested deeper than 100 levels \(line 9, column \d+\); refused$/) },
    ]);
  });

  it('never quotes a YAML file back in a parse error', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Secret\ndata:\n  password: "TOPSECRETVALUE\n   : [unclosed\n');
    const { errors } = await collectLocal([path.join(dir, 'bad.yaml')]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/bad\.yaml: not valid YAML \(line \d+, column \d+\): /);
    expect(errors[0]?.message).not.toContain('TOPSECRETVALUE');
  });

  it('does not hand helm a chart with a link out of it or a FIFO in it', async () => {
    const outside = tmp();
    writeFileSync(path.join(outside, 'shadow'), 'root:$6$saltsalt$SECRETHASHVALUE:19000:0:99999:7:::\n');
    const chart = path.resolve('test/fixtures/kubernetes/chart');
    const leaky = path.join(tmp(), 'leaky');
    cpSync(chart, leaky, { recursive: true });
    // helm follows links: a template that reads a linked file would render the file outside the chart.
    symlinkSync(path.join(outside, 'shadow'), path.join(leaky, 'shadow.txt'));
    writeFileSync(path.join(leaky, 'templates', 'leak.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  x: {{ .Files.Get "shadow.txt" | quote }}\n');
    const blocking = path.join(tmp(), 'blocking');
    cpSync(chart, blocking, { recursive: true });
    execFileSync('mkfifo', [path.join(blocking, 'templates', 'pipe.yaml')]);
    const { assets, errors } = await collectLocal([leaky, blocking]);
    expect(assets).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      `${leaky}: Helm chart not rendered: ${path.join(leaky, 'shadow.txt')}: symlink leads out of ${leaky} (to ${path.join(outside, 'shadow')}); refused, not read`,
      `${blocking}: Helm chart not rendered: ${path.join(blocking, 'templates', 'pipe.yaml')}: a FIFO; skipped`,
    ]);
    expect(JSON.stringify(errors)).not.toContain('SECRETHASHVALUE');
  });
});
