// Image archives handed to `posture scan` as files: a gzipped `docker save` archive is inflated once
// (not once per blob) and its inflated size counts against the uncompressed-bytes cap. Archives are
// packed and gzipped by GNU tar and gzip, not by the code under test.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectLocalImage } from '../../providers/oci/index.ts';
import { debianSpec } from './support/fixtures.ts';
import { writeLayout } from './support/layout-writer.ts';
import { tarOf, sha256 } from './support/layers.ts';

// Counts the gzip decoders the code under test creates (it imports node:zlib; the count is what matters, not time).
const gunzips = vi.hoisted(() => ({ created: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  return {
    ...zlib,
    createGunzip: (...args: Parameters<typeof zlib.createGunzip>) => {
      gunzips.created += 1;
      return zlib.createGunzip(...args);
    },
  };
});

const run = promisify(execFile);
let work: string;

/** A classic `docker save` directory: manifest.json, the config and one uncompressed tar per layer. */
async function dockerSave(dir: string, layerTars: Buffer[], extra: Record<string, Buffer> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layerTars.map(sha256) } }));
  const configName = `${sha256(config).slice(7)}.json`;
  await writeFile(join(dir, configName), config);
  const layers: string[] = [];
  for (const [i, tar] of layerTars.entries()) {
    await mkdir(join(dir, `l${i}`));
    await writeFile(join(dir, `l${i}`, 'layer.tar'), tar);
    layers.push(`l${i}/layer.tar`);
  }
  for (const [name, bytes] of Object.entries(extra)) await writeFile(join(dir, name), bytes);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: ['shop/many:1'], Layers: layers }]));
}

async function gzippedArchive(dir: string, out: string): Promise<void> {
  await run('tar', ['-cf', `${out}.tar`, '-C', dir, ...(await readdir(dir))]);
  await run('gzip', ['-n', `${out}.tar`]);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-archives-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('gzipped image archives', () => {
  it('reads every layer of a gzipped docker save archive of many layers', async () => {
    const tars = await Promise.all(Array.from({ length: 120 }, (_, i) => tarOf([{ path: `data/${i}.txt`, content: `layer ${i}\n`.repeat(20_000) }])));
    tars.push(await tarOf([{ path: 'etc/os-release', content: 'ID=debian\n' }]));
    await dockerSave(join(work, 'many'), tars);
    await gzippedArchive(join(work, 'many'), join(work, 'many'));
    const before = gunzips.created;
    const [asset] = await collectLocalImage(join(work, 'many.tar.gz'));
    // The archive is inflated once, not once for each of its 123 blobs (layers here are plain tars).
    expect(gunzips.created - before).toBe(1);
    expect(asset!.image.scanErrors).toEqual([]);
    expect(asset!.image.layers).toHaveLength(121);
    expect(asset!.image.contents!.fileCount).toBe(121);
    expect(asset!.image.contents!.os?.id).toBe('debian');
  });

  it('counts the inflated archive against the uncompressed-bytes cap, not only its layers', async () => {
    // Small layers, but a 64 MiB run of zeros elsewhere in the archive: a 64 KiB gzip that inflates 1000x.
    await dockerSave(join(work, 'padded'), [await tarOf([{ path: 'etc/os-release', content: 'ID=debian\n' }])], { padding: Buffer.alloc(64 * 1024 * 1024) });
    await gzippedArchive(join(work, 'padded'), join(work, 'padded'));
    await expect(collectLocalImage(join(work, 'padded.tar.gz'), { limits: { maxUncompressedBytes: 32 * 1024 * 1024 } })).rejects.toMatchObject({
      code: 'uncompressed-limit',
      message: expect.stringContaining('padded.tar.gz: decompressed content exceeds the 33554432-byte limit'),
    });
    // Within the cap it is an ordinary image.
    const [asset] = await collectLocalImage(join(work, 'padded.tar.gz'));
    expect(asset!.image.contents!.os?.id).toBe('debian');
  });
});

// An OCI layout directory is a user's input like any other: its blobs may be links or FIFOs.
describe('hostile image layout directories', () => {
  it('refuses a blob that links out of the layout and a blob that is a FIFO, without blocking, and reads the rest', async () => {
    const outside = join(work, 'outside-secret');
    await writeFile(outside, 'root:$6$saltsalt$SECRETHASHVALUE:19000:0:99999:7:::\n');
    const spec = await debianSpec();
    const layout = join(work, 'linked-layout');
    await writeLayout(layout, spec);
    const blob = (digest: string) => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
    const [first, second] = spec.layers;
    await unlink(blob(first!.digest));
    await symlink(outside, blob(first!.digest));
    await unlink(blob(second!.digest));
    await run('mkfifo', [blob(second!.digest)]);
    const [asset] = await collectLocalImage(layout);
    const errors = asset!.image.scanErrors.map((e) => [e.code, e.message]);
    expect(errors).toEqual([
      ['symlink-escape', expect.stringContaining(`${layout}: blobs/sha256/${first!.digest.slice(7)} is a link leading out of the layout (to ${outside}); refused, not read`)],
      ['local-layout-invalid', expect.stringContaining(`${layout}: blobs/sha256/${second!.digest.slice(7)} is missing or not a regular file`)],
    ]);
    expect(JSON.stringify(asset)).not.toContain('SECRETHASHVALUE');
    // The third layer (the cleanup layer's whiteouts and new file) was still read.
    expect(asset!.image.contents!.fileCount).toBeGreaterThan(0);
  });
});
