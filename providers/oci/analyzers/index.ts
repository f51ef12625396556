// The one place analyzers are registered. Adding a concern (or an ecosystem) = one file above and one line here.
import type { Limits } from '../limits.ts';
import { apkAnalyzer } from './apk.ts';
import { dpkgAnalyzer } from './dpkg.ts';
import { setuidAnalyzer, worldWritableAnalyzer } from './file-modes.ts';
import { gemAnalyzer } from './gem.ts';
import { goBinaryAnalyzer } from './go-binary.ts';
import { javaAnalyzer } from './java.ts';
import { npmLockAnalyzer } from './npm-lock.ts';
import { npmAnalyzer } from './npm.ts';
import { pythonAnalyzer } from './python.ts';
import { rustBinaryAnalyzer } from './rust-binary.ts';
import { osReleaseAnalyzer } from './os-release.ts';
import { passwdAnalyzer } from './passwd.ts';
import { rpmAnalyzer } from './rpm.ts';
import { createSecretScanner } from './secrets.ts';
import { toolsAnalyzer } from './tools.ts';
import type { ContentScanner, FilesystemAnalyzer, PackageAnalyzer } from './types.ts';

export const filesystemAnalyzers: readonly FilesystemAnalyzer[] = [
  osReleaseAnalyzer,
  passwdAnalyzer,
  setuidAnalyzer,
  worldWritableAnalyzer,
  toolsAnalyzer,
];

/** One per ecosystem; each reads its files in every layer, so packages carry the layer that brought them. */
export const packageAnalyzers: readonly PackageAnalyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  npmAnalyzer,
  npmLockAnalyzer,
  pythonAnalyzer,
  gemAnalyzer,
  javaAnalyzer,
  goBinaryAnalyzer,
  rustBinaryAnalyzer,
];

/** Content scanners keep per-image state (dedupe, caps), so each image gets fresh ones. */
export function createContentScanners(limits: Limits): ContentScanner[] {
  return [createSecretScanner(limits.maxSecrets)];
}

export type { ContentScanner, FilesystemAnalyzer, FinalFilesystem, PackageAnalyzer } from './types.ts';
