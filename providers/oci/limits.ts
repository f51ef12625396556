// Caps that keep a hostile image from exhausting memory, disk or time. Each is checked while streaming,
// so a breach stops reading at once and is reported as a scan error naming the cap.
import { z } from 'zod';

const MiB = 1024 * 1024;

export const Limits = z
  .object({
    /** Largest manifest, index or config JSON accepted (bytes). */
    maxManifestBytes: z.number().int().positive().default(4 * MiB),
    /** Most entries read from one image index (a hostile index can list millions of manifests). */
    maxIndexManifests: z.number().int().positive().default(1000),
    /** Most layers in one image. */
    maxLayers: z.number().int().positive().default(256),
    /** Total decompressed tar bytes over all layers (gzip-bomb cap); a gzipped image archive counts against it too. */
    maxUncompressedBytes: z.number().int().positive().default(16 * 1024 * MiB),
    /** Total tar entries over all layers. */
    maxFiles: z.number().int().positive().default(2_000_000),
    /**
     * Nodes (files, links and the directories they imply) in the filesystem tree built from all layers.
     * A deep path implies one node per level, so a small layer of deep paths could otherwise cost gigabytes.
     */
    maxTreeNodes: z.number().int().positive().default(1_000_000),
    /**
     * Total length of the full paths of all tree nodes (what the analyzers iterate). Real images stay far
     * below (300,000 files of 70 characters are 21 MB); deep hostile trees reach it quickly (depth squared).
     */
    maxTreePathBytes: z.number().int().positive().default(128 * MiB),
    /** Longest entry path accepted; longer ones are recorded and skipped. */
    maxPathLength: z.number().int().positive().default(4096),
    /** Bytes of each file searched for secrets (the rest of the file is not scanned). */
    secretScanBytes: z.number().int().positive().default(512 * 1024),
    /**
     * Largest file read whole for a filesystem analyzer (passwd, os-release; twice this over the image), held in
     * memory to the end of the image. A passwd of 100,000 users is about 6 MiB.
     */
    maxCapturedFileBytes: z.number().int().positive().default(8 * MiB),
    /** Most secret matches kept per image. */
    maxSecrets: z.number().int().positive().default(500),
    /**
     * Largest file a package analyzer reads (each analyzer may cap lower); larger ones are reported. Binaries,
     * Java archives and RPM databases above `spoolFileBytes` are read from disk, so this bounds time and disk,
     * not memory.
     */
    maxPackageFileBytes: z.number().int().positive().default(1024 * MiB),
    /**
     * A package file larger than this, whose analyzers read by position (ELF sections, a zip's central
     * directory, database pages), is written to a private temporary file (mode 0600) and read from there
     * instead of being held in memory; so is a nested archive inside a Java archive.
     */
    spoolFileBytes: z.number().int().nonnegative().default(4 * MiB),
    /** Temporary disk space those files may take at once, per image; a file that would exceed it is reported. */
    maxTempBytes: z.number().int().positive().default(1024 * MiB),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  const parsed = Limits.safeParse(overrides ?? {});
  if (!parsed.success) throw new Error(`invalid image scan limits: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Overall deadlines (ms). The idle timeouts of the transport only notice silence; a server that sends one
 * byte every few seconds never trips them, so every fetch also has a wall-clock deadline.
 */
export const Deadlines = z
  .object({
    /** One manifest, index or config fetch, including authentication. */
    manifestMs: z.number().int().positive().default(60_000),
    /** One layer blob, download and analysis together. */
    blobMs: z.number().int().positive().default(15 * 60_000),
    /** One image (all its manifests, config and layers); for an index, each chosen platform's image. */
    imageMs: z.number().int().positive().default(30 * 60_000),
  })
  .strict();
export type Deadlines = z.infer<typeof Deadlines>;

export function resolveDeadlines(overrides: Partial<Deadlines> | undefined): Deadlines {
  const parsed = Deadlines.safeParse(overrides ?? {});
  if (!parsed.success) throw new Error(`invalid image scan deadlines: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
