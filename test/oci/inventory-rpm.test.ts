// RPM databases written by the real rpm (SQLite backend) and by Berkeley DB's own db_load (the `Packages`
// hash database of older Red Hat-family images, holding headers rpm wrote). The expected list is what
// `rpm -qa` printed when reading each database back (scripts/setup.d/50-inventory-fixtures.sh).
import { readFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { analyzeEntries } from './support/analyze.ts';
import { fixture } from './support/inventory-fixtures.ts';

const rocky = { path: 'etc/os-release', content: 'ID="rocky"\nVERSION_ID="9.4"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n' };

async function expected(name: string): Promise<{ name: string; version: string; arch: string; source: { name: string; version: string } }[]> {
  const lines = (await readFile(fixture(`rpm/${name}.expected`), 'utf8')).trim().split('\n');
  return lines.map((l) => {
    const [n, epoch, version, release, arch, srpm] = l.split('\t') as [string, string, string, string, string, string];
    expect(srpm).toBe(`${n}-${version}-${release}.src.rpm`); // each fixture package is built from its own spec
    return { name: n, version: `${epoch === '(none)' ? '' : `${epoch}:`}${version}-${release}`, arch, source: { name: n, version: `${version}-${release}` } };
  });
}

const sorted = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.name.localeCompare(b.name));

describe('rpm', () => {
  it.each([
    ['SQLite', 'var/lib/rpm/rpmdb.sqlite', 'sqlite/rpmdb.sqlite', 'sqlite'],
    ['SQLite under /usr/lib/sysimage', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'sqlite/rpmdb.sqlite', 'sqlite'],
    ['Berkeley DB', 'var/lib/rpm/Packages', 'bdb/Packages', 'bdb'],
  ])('reads the %s database as rpm -qa does, epoch and source RPM included', async (_label, path, file, exp) => {
    const { contents, errors } = await analyzeEntries([[rocky, { path, content: await readFile(fixture(`rpm/${file}`)) }]]);
    expect(errors).toEqual([]);
    expect(sorted(contents.packages.map((p) => ({ name: p.name, version: p.version, arch: p.arch!, source: p.source! })))).toEqual(sorted(await expected(exp)));
    const withEpoch = contents.packages.find((p) => p.name === 'with-epoch')!;
    expect(withEpoch).toMatchObject({ manager: 'rpm', ecosystem: 'Rocky Linux:9', path: `/${path}`, layer: 0 });
    expect(withEpoch.purl).toBe('pkg:rpm/rocky/with-epoch@1.4.2-3.el9?arch=noarch&distro=rocky-9.4&epoch=2');
  });

  it('reads an NDB Packages.db laid out by the format (slots, then framed blobs) around headers rpm wrote', async () => {
    // Debian's rpm is built without the ndb backend, so the container is assembled here from the format:
    // "RpmP" header with the slot page count, 16-byte "Slot" entries, "BlbS"-framed blobs in 16-byte blocks.
    const db = new DatabaseSync(fixture('rpm/sqlite/rpmdb.sqlite'), { readOnly: true });
    const blobs = (db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as { hnum: number; blob: Uint8Array }[]).map((r) => ({ idx: r.hnum, blob: Buffer.from(r.blob) }));
    db.close();
    const page = 4096;
    const parts: Buffer[] = [];
    const head = Buffer.alloc(page);
    head.write('RpmP', 0, 'latin1');
    head.writeUInt32LE(1, 12);
    let block = page / 16;
    blobs.forEach(({ idx, blob }, i) => {
      const slot = 32 + i * 16;
      head.write('Slot', slot, 'latin1');
      head.writeUInt32LE(idx, slot + 4);
      head.writeUInt32LE(block, slot + 8);
      const framed = Buffer.alloc(Math.ceil((16 + blob.length + 12) / 16) * 16);
      framed.write('BlbS', 0, 'latin1');
      framed.writeUInt32LE(idx, 4);
      framed.writeUInt32LE(1, 8);
      framed.writeUInt32LE(blob.length, 12);
      blob.copy(framed, 16);
      head.writeUInt32LE(framed.length / 16, slot + 12);
      parts.push(framed);
      block += framed.length / 16;
    });
    const { contents, errors } = await analyzeEntries([[rocky, { path: 'usr/lib/sysimage/rpm/Packages.db', content: Buffer.concat([head, ...parts]) }]]);
    expect(errors).toEqual([]);
    expect(sorted(contents.packages.map((p) => ({ name: p.name, version: p.version, arch: p.arch!, source: p.source! })))).toEqual(sorted(await expected('sqlite')));
  });

  it('reports a truncated or foreign database by name and keeps the rest of the image', async () => {
    const bdb = await readFile(fixture('rpm/bdb/Packages'));
    const { contents, errors } = await analyzeEntries([
      [rocky, { path: 'var/lib/rpm/Packages', content: bdb.subarray(0, 4096 + 100) }, { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: 'not a database' }, { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\n' }],
    ]);
    expect(errors).toEqual([expect.objectContaining({ code: 'package-file-invalid', message: expect.stringContaining('/usr/lib/sysimage/rpm/rpmdb.sqlite') })]);
    expect(contents.users.map((u) => u.name)).toEqual(['root']);
    expect(contents.packages.length).toBeLessThan(3);
  });

  it('knows Amazon Linux has no OSV ecosystem and says so with null', async () => {
    const { contents } = await analyzeEntries([[{ path: 'etc/os-release', content: 'ID="amzn"\nVERSION_ID="2"\n' }, { path: 'var/lib/rpm/Packages', content: await readFile(fixture('rpm/bdb/Packages')) }]]);
    expect(contents.packages.length).toBe(3);
    for (const p of contents.packages) expect(p).toMatchObject({ ecosystem: null, purl: expect.stringMatching(/^pkg:rpm\/amazon\//) });
  });
});
