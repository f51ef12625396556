// The demo image must show what the README promises: root user, no healthcheck, SSH exposed, a setuid
// helper outside the allow-list, a deleted-but-present AWS key, apt/dpkg, and identical bytes each run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset } from '../../core/asset.ts';
import { collectLocalImage } from '../../providers/oci/index.ts';
import { makeSampleImage } from '../../scripts/make-sample-image.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posture-sample-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('sample image', () => {
  it('is deterministic and carries every planted problem', async () => {
    const first = await makeSampleImage(join(dir, 'image'));
    expect(await makeSampleImage(join(dir, 'image'))).toBe(first);
    const [asset] = await collectLocalImage(join(dir, 'image'));
    expect(() => parseAsset(asset)).not.toThrow();
    const { config, contents, scanErrors } = asset!.image;
    expect(scanErrors).toEqual([]);
    expect(config.user).toBe('');
    expect(config.healthcheck).toBeNull();
    expect(config.exposedPorts).toContain('22/tcp');
    expect(contents!.setuidFiles.map((f) => f.path)).toEqual(expect.arrayContaining(['/usr/local/bin/backup-helper', '/usr/bin/passwd']));
    expect(contents!.secrets).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/srv/ledgerly/.aws/credentials', rule: 'aws-access-key-id', inFinalFilesystem: false })]),
    );
    expect(contents!.packages.filter((p) => p.manager === 'dpkg').map((p) => p.name)).toContain('apt');
    expect(contents!.packageManagers).toEqual(['/usr/bin/apt', '/usr/bin/apt-get', '/usr/bin/dpkg']);
  });
});
