// RPM databases (BerkeleyDB, NDB or SQLite) are not parsed yet; saying so keeps the package list from
// passing as complete on Red Hat-family images.
import type { FilesystemAnalyzer } from './types.ts';

const databases = ['/var/lib/rpm/Packages', '/var/lib/rpm/rpmdb.sqlite', '/var/lib/rpm/Packages.db', '/usr/lib/sysimage/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/Packages.db'];

export const rpmAnalyzer: FilesystemAnalyzer = {
  name: 'rpm',
  analyze(fs, _out, errors) {
    const found = databases.find((p) => fs.get(p)?.type === 'file');
    if (found) errors.add('packages-unsupported', `RPM database ${found} found but not read: RPM packages are missing from the package list`);
  },
};
