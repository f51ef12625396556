// /etc/passwd: the accounts, so rules can see uid-0 accounts besides root and which accounts have a login shell.
import type { FilesystemAnalyzer } from './types.ts';

export function parsePasswd(text: string): { name: string; uid: number; gid: number; shell: string }[] {
  const users: { name: string; uid: number; gid: number; shell: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    users.push({ name: f[0]!, uid, gid, shell: f[6]!.trim() });
  }
  return users;
}

export const passwdAnalyzer: FilesystemAnalyzer = {
  name: 'passwd',
  wantsContent: (path) => path === '/etc/passwd',
  analyze(fs, out) {
    const passwd = fs.content('/etc/passwd');
    if (passwd) out.users.push(...parsePasswd(passwd.toString('utf8')));
  },
};
