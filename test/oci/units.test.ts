// The small pure pieces whose mistakes would be silent: challenge and reference parsing, whiteout
// semantics, link escapes, package databases and secret redaction.
import { describe, expect, it } from 'vitest';
import { emptyContents } from '../../providers/oci/analysis/analyze-layers.ts';
import { checkEntryPath, symlinkEscapes } from '../../providers/oci/analysis/entry-path.ts';
import { FilesystemTree, type EntryMeta } from '../../providers/oci/analysis/fs-tree.ts';
import { ScanErrorLog } from '../../providers/oci/analysis/scan-error-log.ts';
import { parseDpkgStatus } from '../../providers/oci/analyzers/dpkg.ts';
import { parseOsRelease } from '../../providers/oci/analyzers/os-release.ts';
import { createSecretScanner } from '../../providers/oci/analyzers/secrets.ts';
import { parseReference } from '../../providers/oci/index.ts';
import { parseChallenge } from '../../providers/oci/registry/challenge.ts';

const file = (layer: number): EntryMeta => ({ type: 'file', mode: 0o644, uid: 0, gid: 0, linkTarget: null, layer });
const dir = (layer: number): EntryMeta => ({ ...file(layer), type: 'dir', mode: 0o755 });
const paths = (t: FilesystemTree): string[] => [...t.entries()].map(([p]) => p).sort();

describe('WWW-Authenticate parsing', () => {
  it('reads the bearer realm, service and a scope containing commas and colons', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge(undefined)).toBeNull();
  });
});

describe('image references', () => {
  it('splits host, repository, tag and digest; defaults the tag; maps Docker Hub', () => {
    expect(parseReference('oci://127.0.0.1:5000/shop/api:1.0')).toMatchObject({ registry: '127.0.0.1:5000', repository: 'shop/api', tag: '1.0', digest: null });
    expect(parseReference('myacr.azurecr.io/shop/api')).toMatchObject({ tag: 'latest' });
    const d = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`oci://x.io/a@${d}`)).toMatchObject({ tag: null, digest: d });
    expect(parseReference('docker.io/alpine:3')).toMatchObject({ repository: 'library/alpine', apiHost: 'registry-1.docker.io' });
    expect(() => parseReference('oci://x.io/a@sha256:abc')).toThrow(/not a sha256\/sha512 digest/);
  });
});

describe('whiteouts', () => {
  it('an opaque marker hides older children but keeps what the same layer wrote, even below older dirs', () => {
    const t = new FilesystemTree();
    t.put('var', dir(0));
    t.put('var/old', file(0));
    t.put('var/sub', dir(0));
    t.put('var/sub/older', file(0));
    t.put('var/sub/newer', file(1)); // written by layer 1 before its marker
    t.opaque('var', 1);
    t.put('var/fresh', file(1));
    expect(paths(t)).toEqual(['/var', '/var/fresh', '/var/sub', '/var/sub/newer']);
  });

  it('a .wh. file deletes a whole subtree from lower layers', () => {
    const t = new FilesystemTree();
    t.put('a/b/c', file(0));
    t.whiteout('a', 'b');
    expect(paths(t)).toEqual([]);
  });

  it('a directory deleted or replaced is gone for later entries below the same path', () => {
    const t = new FilesystemTree();
    t.put('a/b/c', file(0));
    t.whiteout('a', 'b');
    t.put('a/b/d', file(1));
    expect(paths(t)).toEqual(['/a/b/d']);
    t.put('a/b', file(2)); // a file over the directory, then a path through it again
    t.put('a/b/e', file(2));
    expect(paths(t)).toEqual(['/a/b/e']);
    t.put('v/s/x', file(0));
    t.opaque('v', 1); // v/s held only older entries, so it goes too
    t.put('v/s/y', file(1));
    expect(paths(t).filter((p) => p.startsWith('/v'))).toEqual(['/v/s/y']);
  });

  it('counts nodes and path bytes for every directory a path implies', () => {
    const t = new FilesystemTree();
    t.put('a/bb/c', file(0)); // /a, /a/bb, /a/bb/c
    t.put('a/bb/dd', file(0)); // /a/bb/dd
    expect([t.nodes, t.pathBytes]).toEqual([4, 2 + 5 + 7 + 8]);
    expect(() => new FilesystemTree({ maxNodes: 2, maxPathBytes: 1000 }).put('a/b/c', file(0))).toThrow(/more than 2 filesystem tree nodes/);
  });
});

describe('entry paths and links', () => {
  it('reads absolute names relative to the root as tar does; refuses climbing and over-long names; normalizes ./', () => {
    expect(checkEntryPath('./etc/passwd', 100)).toEqual({ ok: true, path: 'etc/passwd' });
    expect(checkEntryPath('/etc/passwd', 100)).toEqual({ ok: true, path: 'etc/passwd' });
    expect(checkEntryPath('/../etc/passwd', 100)).toMatchObject({ ok: false, code: 'path-traversal' });
    expect(checkEntryPath('a/../../b', 100)).toMatchObject({ ok: false, code: 'path-traversal' });
    expect(checkEntryPath('x'.repeat(101), 100)).toMatchObject({ ok: false, code: 'path-too-long' });
    expect(checkEntryPath('usr/lib/', 100)).toEqual({ ok: true, path: 'usr/lib' });
    expect(checkEntryPath('a//b/./c', 100)).toEqual({ ok: true, path: 'a/b/c' });
    expect(checkEntryPath('./', 100)).toEqual({ ok: true, path: '' });
    expect(checkEntryPath('a/..b/.c', 100)).toEqual({ ok: true, path: 'a/..b/.c' });
    expect(checkEntryPath('a/b/..', 100)).toMatchObject({ ok: false, code: 'path-traversal' });
    expect(checkEntryPath('a/b\0c', 100)).toMatchObject({ ok: false, code: 'path-traversal' });
  });

  it('judges relative symlink targets from the link’s own directory', () => {
    expect(symlinkEscapes('usr/bin/python', '../lib/python3')).toBe(false);
    expect(symlinkEscapes('usr/bin/python', '../../../etc/shadow')).toBe(true);
    expect(symlinkEscapes('bin/sh', '/bin/busybox')).toBe(false);
  });
});

describe('package and release files', () => {
  it('keeps only installed dpkg packages and reads folded fields', () => {
    const status = 'Package: a\nStatus: install ok installed\nVersion: 1\nDescription: x\n more\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 2\n';
    expect(parseDpkgStatus(status, true)).toEqual([{ name: 'a', version: '1', source: { name: 'a', version: '1' } }]);
  });

  it('unquotes os-release values', () => {
    expect(parseOsRelease('ID="rhel"\nVERSION_ID=\'9.4\'\n# comment\n').get('VERSION_ID')).toBe('9.4');
  });
});

describe('secret scanning', () => {
  const scanText = (text: string | Buffer, max = 50): ReturnType<typeof emptyContents>['secrets'] => {
    const out = emptyContents();
    createSecretScanner(max).scan('/f', Buffer.isBuffer(text) ? text : Buffer.from(text), 0, out, new ScanErrorLog());
    return out.secrets;
  };

  it('finds well-known formats and never keeps more than a prefix of the value', () => {
    const gh = `ghp_${'A1b2'.repeat(9)}`;
    const secrets = scanText(`token=${gh}\naws_secret_access_key = ${'x'.repeat(40)}\nkey: AIza${'B'.repeat(35)}\n`);
    expect(secrets.map((s) => s.rule)).toEqual(['aws-secret-access-key', 'github-token', 'google-api-key']);
    expect(secrets.find((s) => s.rule === 'github-token')!.hint).toBe('ghp_…(40 chars)');
    expect(JSON.stringify(secrets)).not.toContain(gh.slice(4));
  });

  it('finds the AWS secret key however its name is written (env files write it in capitals)', () => {
    // AWS's documented example secret key; the names as the CLI's config file, env files and Java properties write them.
    const value = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    for (const line of [`AWS_SECRET_ACCESS_KEY=${value}`, `aws_secret_access_key = ${value}`, `export AWS_SECRET_ACCESS_KEY="${value}"`, `AwsSecretAccessKey: ${value}`]) {
      expect(scanText(`${line}\n`).map((s) => [s.rule, s.hint]), line).toEqual([['aws-secret-access-key', 'wJal…(40 chars)']]);
    }
  });

  it('finds each format by its own prefix wherever it sits in the head, and nothing in text without one', () => {
    const filler = 'the quick brown fox jumps over the lazy dog; '.repeat(2000);
    const tokens: Record<string, string> = {
      'aws-access-key-id': 'ASIAZZZZEXAMPLE12345',
      'github-token': `gho_${'c'.repeat(36)}`,
      'slack-token': 'xoxb-1234567890-abcdefghij',
      'npm-token': `npm_${'D'.repeat(36)}`,
      'stripe-secret-key': `rk_live_${'e'.repeat(24)}`,
    };
    for (const [rule, token] of Object.entries(tokens)) {
      expect(scanText(`${filler}${token}\n${filler}`).map((s) => s.rule), rule).toEqual([rule]);
    }
    expect(scanText(filler)).toEqual([]);
  });

  it('skips binary files and stops at the per-image cap with a scan error', () => {
    expect(scanText(Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('AKIAZZZZEXAMPLE12345')]))).toEqual([]);
    const out = emptyContents();
    const errors = new ScanErrorLog();
    const scanner = createSecretScanner(2);
    for (let i = 0; i < 3; i++) scanner.scan(`/f${i}`, Buffer.from('AKIAZZZZEXAMPLE12345'), 0, out, errors);
    expect(out.secrets).toHaveLength(2);
    expect(errors.list().map((e) => e.code)).toEqual(['secret-limit']);
  });
});
