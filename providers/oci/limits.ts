// Caps that keep a hostile image from exhausting memory, disk or time. Each is checked while streaming,
// so a breach stops reading at once and is reported as a scan error naming the cap.
import { z } from 'zod';

const MiB = 1024 * 1024;

export const Limits = z
  .object({
    /** Largest manifest, index or config JSON accepted (bytes). */
    maxManifestBytes: z.number().int().positive().default(4 * MiB),
    /** Most layers in one image. */
    maxLayers: z.number().int().positive().default(256),
    /** Total decompressed tar bytes over all layers (gzip-bomb cap). */
    maxUncompressedBytes: z.number().int().positive().default(16 * 1024 * MiB),
    /** Total tar entries over all layers. */
    maxFiles: z.number().int().positive().default(2_000_000),
    /** Longest entry path accepted; longer ones are recorded and skipped. */
    maxPathLength: z.number().int().positive().default(4096),
    /** Bytes of each file searched for secrets (the rest of the file is not scanned). */
    secretScanBytes: z.number().int().positive().default(512 * 1024),
    /** Largest file read whole for an analyzer (package databases, passwd, os-release). */
    maxCapturedFileBytes: z.number().int().positive().default(64 * MiB),
    /** Most secret matches kept per image. */
    maxSecrets: z.number().int().positive().default(500),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  const parsed = Limits.safeParse(overrides ?? {});
  if (!parsed.success) throw new Error(`invalid image scan limits: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
