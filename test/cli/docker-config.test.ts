// `posture scan oci://…` finds registry credentials the way docker, crane and skopeo do: ~/.docker/config.json
// (here $DOCKER_CONFIG) with `auths`, `credsStore` and `credHelpers`, the helpers being real executables
// (`docker-credential-<name>`) on PATH. crane, reading the same files with the same PATH, is the reference:
// for each configuration, posture pulls exactly when crane can.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHostileRegistry, type HostileRegistry } from '../oci/support/hostile-registry.ts';
import { buildLayer } from '../oci/support/layers.ts';
import { toolsBin } from '../oci/support/registry-server.ts';
import { runCli } from './helpers.ts';

const run = promisify(execFile);
const username = 'puller';
const password = 'Pu11-s3cret/+=Q7';
const basic = Buffer.from(`${username}:${password}`).toString('base64');

let registry: HostileRegistry;
let home: string;
const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };

/** A credential helper in the docker protocol that knows one server; anything else is "not found". */
function writeHelper(bin: string, name: string, server: string): void {
  const file = path.join(bin, `docker-credential-${name}`);
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      '[ "$1" = get ] || exit 1',
      'read -r server',
      `if [ "$server" = "${server}" ]; then`,
      `  printf '%s' '{"ServerURL":"${server}","Username":"${username}","Secret":"${password}"}'`,
      'else',
      '  echo "credentials not found in native keychain"; exit 1',
      'fi',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
}

function useConfig(config: object): string {
  const dir = mkdtempSync(path.join(home, 'docker-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  process.env.DOCKER_CONFIG = dir;
  return dir;
}

async function cranePulls(ref: string): Promise<boolean> {
  try {
    await run(path.join(toolsBin, 'crane'), ['manifest', '--insecure', ref], { env: { ...process.env } });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  registry = await startHostileRegistry({ basic: { username, password } });
  registry.image('private/app', '1', [await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }])]);
  home = mkdtempSync(path.join(tmpdir(), 'posture-docker-config-'));
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  writeHelper(bin, 'posturetest', registry.host);
  writeHelper(bin, 'elsewhere', 'registry.example.invalid');
  process.env.PATH = `${bin}${path.delimiter}${saved.PATH}`;
});
afterEach(() => {
  process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
});
afterAll(async () => {
  process.env.PATH = saved.PATH;
  process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
  await registry?.stop();
});

describe('registry credentials from the docker config, as crane reads them', () => {
  const cases: { name: string; config: (host: string) => object; pulls: boolean }[] = [
    { name: 'credHelpers names a helper for the host', config: (h) => ({ credHelpers: { [h]: 'posturetest' } }), pulls: true },
    { name: 'credsStore is the default helper', config: () => ({ credsStore: 'posturetest' }), pulls: true },
    { name: 'auths holds base64 user:password', config: (h) => ({ auths: { [h]: { auth: basic } } }), pulls: true },
    { name: 'auths keyed with a scheme and path', config: (h) => ({ auths: { [`http://${h}/v1/`]: { auth: basic } } }), pulls: true },
    { name: 'a helper in charge of the host has the last word, auths is not consulted', config: (h) => ({ credsStore: 'elsewhere', auths: { [h]: { auth: basic } } }), pulls: false },
    { name: 'credHelpers for the host wins over credsStore', config: (h) => ({ credsStore: 'elsewhere', credHelpers: { [h]: 'posturetest' } }), pulls: true },
    { name: 'a helper that does not know the host, and nothing else', config: () => ({ credsStore: 'elsewhere' }), pulls: false },
    { name: 'credentials for another host only', config: () => ({ auths: { 'registry.example.invalid': { auth: basic } } }), pulls: false },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      useConfig(c.config(registry.host));
      const ref = `${registry.host}/private/app:1`;
      expect(await cranePulls(ref)).toBe(c.pulls); // the reference behaviour
      const result = await runCli(['scan', '--no-history', '--insecure-registry', registry.host, '--format', 'json', `oci://${ref}`]);
      const report = JSON.parse(result.stdout) as { assets: { id: string }[]; errors: { message: string }[] };
      if (c.pulls) {
        expect(report.errors).toEqual([]);
        expect(report.assets).toHaveLength(1);
      } else {
        expect(result.code).toBe(3);
        expect(report.errors[0]!.message).toMatch(/registry wants Basic auth and no username\/password is configured/);
      }
    });
  }

  it('names a helper that is not on PATH, as a usage error of that image', async () => {
    useConfig({ credHelpers: { [registry.host]: 'not-installed' } });
    const result = await runCli(['scan', '--no-history', '--insecure-registry', registry.host, '--format', 'json', `oci://${registry.host}/private/app:1`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('docker-credential-not-installed is not on PATH');
  });
});

describe('credentials from the docker config never come back out', () => {
  it('keeps echoed credentials out of stdout, stderr and the SQLite outbox', async () => {
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    registry.image('private/echo', '1', [layer]);
    registry.on(`/v2/private/echo/blobs/${layer.digest}`, {
      kind: 'answer',
      status: 403,
      body: (req) => `${'y'.repeat(280)} ${String(req.headers.authorization)} | ${basic.toLowerCase()} | ${encodeURIComponent(password)} | ${password}`,
    });
    // The client authenticated on the manifest, so the blob request carries the Basic header it echoes.
    useConfig({ auths: { [registry.host]: { auth: basic } } });
    const dir = mkdtempSync(path.join(home, 'state-'));
    const state = path.join(dir, 'state.db');
    // A configured publisher makes the scan queue its ticket changes in the outbox (not delivered: no --publish).
    const config = path.join(dir, 'posture.yaml');
    writeFileSync(config, 'publish:\n  webhook:\n    url: https://grc.example.invalid/hook\n    secret: { env: POSTURE_TEST_HOOK_SECRET }\n');
    const result = await runCli(['scan', '--no-history', '--config', config, '--state', state, '--insecure-registry', registry.host, '--format', 'json', `oci://${registry.host}/private/echo:1`]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('[redacted]');
    const db = new Database(state, { readonly: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    const dump = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
    db.close();
    expect(dump).toContain('IMG-014'); // the finding and its outbox intent are there, scrubbed
    const raw = readFileSync(state).toString('latin1');
    for (const text of [result.stdout, result.stderr, dump, raw]) {
      for (const form of [password, basic, basic.toLowerCase(), encodeURIComponent(password)]) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
    }
  });
});
