// Image archives handed to `posture scan` as files: a gzipped `docker save` archive is inflated once
// (not once per blob) and its inflated size counts against the uncompressed-bytes cap. Archives are
// packed and gzipped by GNU tar and gzip, not by the code under test.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLocalImage } from '../../providers/oci/index.ts';
import { tarOf, sha256 } from './support/layers.ts';

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
    const [asset] = await collectLocalImage(join(work, 'many.tar.gz'));
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
