// Attaches known vulnerabilities to image assets before they are evaluated: each analysed image gets
// `image.vulnerabilities` and `image.vulnerabilityScan` (what was matched, against which database, and
// what could not be judged). Without a database every image says "not evaluated" rather than "clean".
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Asset, ImageAsset, ImageContents, VulnerabilityScan } from '../core/asset.ts';
import type { VulnerabilitiesConfig } from '../core/config.ts';
import { VulnStore } from './db/store.ts';
import { baseLayerCount, matchPackages, type MatchablePackage } from './match.ts';
import { mergeNative } from './native/findings.ts';
import { applyVex, type VexStatement } from './vex.ts';

/** The database file: the config's, else POSTURE_VULNDB, else the user's cache directory. */
export function vulnDbPath(config: Pick<VulnerabilitiesConfig, 'db'>, env: NodeJS.ProcessEnv = process.env): string {
  if (config.db) return config.db;
  if (env['POSTURE_VULNDB']) return env['POSTURE_VULNDB'];
  const cache = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(cache, 'posture', 'vulndb.sqlite');
}

const ltsUbuntu = /^\d*[02468]\.04$/;

/**
 * The OSV ecosystem of an OS package when the analyzer did not say (inventories written before the
 * ecosystem field): Debian and Ubuntu releases and Alpine branches from /etc/os-release.
 */
export function osEcosystem(manager: string, os: ImageContents['os']): string | null {
  if (!os?.versionId) return null;
  if (manager === 'dpkg' && os.id === 'debian') return `Debian:${os.versionId.split('.')[0]}`;
  if (manager === 'dpkg' && os.id === 'ubuntu') return `Ubuntu:${os.versionId}${ltsUbuntu.test(os.versionId) ? ':LTS' : ''}`;
  if (manager === 'apk' && os.id === 'alpine') {
    const m = /^(\d+)\.(\d+)/.exec(os.versionId);
    return m ? `Alpine:v${m[1]}.${m[2]}` : null;
  }
  return null;
}

function packagesOf(asset: ImageAsset): MatchablePackage[] {
  const contents = asset.image.contents!;
  return contents.packages.map((p) => {
    const pkg = p as MatchablePackage;
    return pkg.ecosystem === undefined ? { ...pkg, ecosystem: osEcosystem(p.manager, contents.os) } : pkg;
  });
}

export interface EnrichOutcome {
  assets: Asset[];
  /** Set when no database could be opened: every image is "not evaluated" for this reason. */
  unavailable: string | null;
  /** Milliseconds to open the database and to match every image (for the benchmark). */
  timings: { openMs: number; matchMs: number };
}

export function attachVulnerabilities(assets: readonly Asset[], dbFile: string, options: { vex?: readonly VexStatement[] } = {}): EnrichOutcome {
  if (!assets.some((a) => a.kind === 'image')) return { assets: [...assets], unavailable: null, timings: { openMs: 0, matchMs: 0 } };
  const t0 = performance.now();
  let store: VulnStore | null = null;
  let unavailable: string | null = null;
  if (!existsSync(dbFile)) unavailable = `no vulnerability database at ${dbFile}: run \`posture db update\``;
  else {
    try {
      store = VulnStore.open(dbFile, { readonly: true });
    } catch (err) {
      unavailable = (err as Error).message;
    }
  }
  const openMs = performance.now() - t0;
  try {
    const out = matchImages(assets, store ? { store, file: dbFile } : { unavailable: unavailable! }, options);
    return { ...out, timings: { openMs, matchMs: out.timings.matchMs } };
  } finally {
    store?.close();
  }
}

/** An open database, or why there is none (every image is then "not evaluated" for that reason). */
export type VulnDbHandle = { store: VulnStore; file: string } | { unavailable: string };

/** Matches every analysed image against an already open database (the CLI's file, a worker's index). */
export function matchImages(assets: readonly Asset[], db: VulnDbHandle, options: { vex?: readonly VexStatement[] } = {}): EnrichOutcome {
  const t1 = performance.now();
  const store = 'store' in db ? db.store : null;
  const unavailable = 'unavailable' in db ? db.unavailable : null;
  const database = store ? { file: (db as { file: string }).file, sources: store.sources().map((s) => ({ name: s.name, fetchedAt: s.fetchedAt, records: s.records })) } : null;
  const out = assets.map((asset): Asset => {
    if (asset.kind !== 'image') return asset;
    const notEvaluated = (reason: string): VulnerabilityScan => ({ status: 'not-evaluated', reason, database, packages: 0, notEvaluated: [] });
    if (!store) return { ...asset, image: { ...asset.image, vulnerabilityScan: notEvaluated(unavailable!) } };
    if (!asset.image.contents) return { ...asset, image: { ...asset.image, vulnerabilityScan: notEvaluated('the image layers were not analysed') } };
    const packages = packagesOf(asset);
    const result = matchPackages(store, packages, { baseLayers: baseLayerCount(asset.image.config.history) });
    const scan: VulnerabilityScan = {
      status: result.notEvaluated.length ? 'partial' : 'complete',
      reason: result.notEvaluated.length ? `${result.notEvaluated.length} of ${packages.length} packages could not be judged` : null,
      database,
      packages: packages.length,
      notEvaluated: result.notEvaluated.slice(0, 200),
    };
    const matched: ImageAsset = { ...asset, image: { ...asset.image, vulnerabilities: result.vulnerabilities, vulnerabilityScan: scan } };
    // The registry scanner's findings we also made fold into ours (detectedBy); the rest stay for REG-002.
    return applyVex(asset.image.nativeVulnerabilities ? mergeNative(matched, asset.image.nativeVulnerabilities) : matched, options.vex ?? []);
  });
  return { assets: out, unavailable, timings: { openMs: 0, matchMs: performance.now() - t1 } };
}
