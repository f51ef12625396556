// Alpine packages: /lib/apk/db/installed, one record per package ("P:" name, "V:" version), blank-line separated.
import type { FilesystemAnalyzer } from './types.ts';

const dbPath = '/lib/apk/db/installed';

export function parseApkInstalled(text: string): { name: string; version: string }[] {
  const packages: { name: string; version: string }[] = [];
  for (const record of text.split(/\n\s*\n/)) {
    const name = /^P:(.+)$/m.exec(record)?.[1]?.trim();
    const version = /^V:(.+)$/m.exec(record)?.[1]?.trim();
    if (name && version) packages.push({ name, version });
  }
  return packages;
}

export const apkAnalyzer: FilesystemAnalyzer = {
  name: 'apk',
  wantsContent: (path) => path === dbPath,
  analyze(fs, out) {
    const db = fs.content(dbPath);
    if (db) for (const p of parseApkInstalled(db.toString('utf8'))) out.packages.push({ ...p, manager: 'apk' });
  },
};
