// Chooses which manifests of an index to scan: one platform (linux/amd64 unless told), or all of them.
import { ImageScanError } from './errors.ts';
import type { Descriptor } from './manifest.ts';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant: string | null;
}

export function parsePlatform(text: string): PlatformSpec {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) throw new Error(`platform "${text}" is invalid: expected os/arch or os/arch/variant, e.g. linux/arm64/v8`);
  return { os, architecture, variant: variant ?? null };
}

export function formatPlatform(p: { os: string; architecture: string; variant?: string | null }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Attestation manifests (buildkit's `unknown/unknown`) are not runnable images and are never chosen. */
function isRunnable(d: Descriptor): boolean {
  return !!d.platform && d.platform.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest';
}

export function selectPlatforms(manifests: readonly Descriptor[], wanted: PlatformSpec, all: boolean, where: string): Descriptor[] {
  const runnable = manifests.filter(isRunnable);
  if (all) {
    if (runnable.length === 0) throw new ImageScanError('platform-not-found', `${where}: the index lists no runnable platform`);
    return runnable;
  }
  const sameArch = runnable.filter((d) => d.platform!.os === wanted.os && d.platform!.architecture === wanted.architecture);
  // An exact variant wins; without one asked for, the first entry for os/arch is what a runtime would pull.
  const match = wanted.variant ? sameArch.find((d) => (d.platform!.variant ?? null) === wanted.variant) : sameArch[0];
  if (!match) {
    const offered = runnable.map((d) => formatPlatform(d.platform!)).join(', ') || 'none';
    throw new ImageScanError('platform-not-found', `${where}: no manifest for platform ${formatPlatform(wanted)} (offered: ${offered})`);
  }
  return [match];
}
