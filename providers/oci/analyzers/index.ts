// The one place analyzers are registered. Adding a concern = one file above and one line here.
import type { Limits } from '../limits.ts';
import { apkAnalyzer } from './apk.ts';
import { dpkgAnalyzer } from './dpkg.ts';
import { setuidAnalyzer, worldWritableAnalyzer } from './file-modes.ts';
import { osReleaseAnalyzer } from './os-release.ts';
import { passwdAnalyzer } from './passwd.ts';
import { rpmAnalyzer } from './rpm.ts';
import { createSecretScanner } from './secrets.ts';
import { toolsAnalyzer } from './tools.ts';
import type { ContentScanner, FilesystemAnalyzer } from './types.ts';

export const filesystemAnalyzers: readonly FilesystemAnalyzer[] = [
  osReleaseAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  passwdAnalyzer,
  setuidAnalyzer,
  worldWritableAnalyzer,
  toolsAnalyzer,
];

/** Content scanners keep per-image state (dedupe, caps), so each image gets fresh ones. */
export function createContentScanners(limits: Limits): ContentScanner[] {
  return [createSecretScanner(limits.maxSecrets)];
}

export type { ContentScanner, FilesystemAnalyzer, FinalFilesystem } from './types.ts';
