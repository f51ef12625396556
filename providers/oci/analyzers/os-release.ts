// /etc/os-release (or /usr/lib/os-release, its fallback by the spec): which distribution and version.
import type { FilesystemAnalyzer } from './types.ts';

const paths = ['/etc/os-release', '/usr/lib/os-release'];

export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2]!;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["'\\$`])/g, '$1');
    fields.set(m[1]!, value);
  }
  return fields;
}

export const osReleaseAnalyzer: FilesystemAnalyzer = {
  name: 'os-release',
  wantsContent: (path) => paths.includes(path),
  analyze(fs, out) {
    for (const path of paths) {
      const content = fs.content(path);
      if (!content) continue;
      const fields = parseOsRelease(content.toString('utf8'));
      const id = fields.get('ID');
      if (!id) continue;
      out.os = { id, versionId: fields.get('VERSION_ID') ?? null, prettyName: fields.get('PRETTY_NAME') ?? null };
      return;
    }
  },
};
