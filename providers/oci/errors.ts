// Why an image could not be fully read. Each code names one cause, so a user (and a Rego rule) can tell
// a gzip bomb from a tampered blob; the message names the blob or path involved.
export const scanErrorCodes = [
  'manifest-too-large',
  'manifest-invalid',
  'index-limit',
  'image-limit',
  'config-invalid',
  'platform-not-found',
  'too-many-layers',
  'unsupported-media-type',
  'digest-mismatch',
  'size-mismatch',
  'layer-truncated',
  'layer-corrupt',
  'uncompressed-limit',
  'file-limit',
  'tree-limit',
  'path-too-long',
  'path-traversal',
  'symlink-escape',
  'hardlink-escape',
  'content-truncated',
  'secret-limit',
  'packages-unsupported',
  'package-file-too-large',
  'package-file-invalid',
  'temp-space-limit',
  'registry-unauthorized',
  'registry-not-found',
  'registry-error',
  'timeout',
  'aborted',
  'local-layout-invalid',
  'signatures-unreadable',
  'internal',
] as const;
export type ScanErrorCode = (typeof scanErrorCodes)[number];

/**
 * Codes that mean part of the image could not be read at all (as opposed to entries refused as hostile,
 * or contents read but not fully interpreted): the CLI counts such an image as an unreadable input.
 */
export const readFailureCodes: ReadonlySet<string> = new Set<ScanErrorCode>([
  'manifest-too-large',
  'manifest-invalid',
  'index-limit',
  'image-limit',
  'config-invalid',
  'platform-not-found',
  'too-many-layers',
  'unsupported-media-type',
  'digest-mismatch',
  'size-mismatch',
  'layer-truncated',
  'layer-corrupt',
  'uncompressed-limit',
  'file-limit',
  'tree-limit',
  'registry-unauthorized',
  'registry-not-found',
  'registry-error',
  'timeout',
  'aborted',
  'local-layout-invalid',
  'internal',
]);

export interface ScanErrorEntry {
  code: ScanErrorCode;
  message: string;
}

/** An error that carries its scan-error code up to the collector, which turns it into `scanErrors`. */
export class ImageScanError extends Error {
  override name = 'ImageScanError';
  constructor(
    readonly code: ScanErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A registry answered with an HTTP error we cannot recover from; `status` lets callers branch (401/404). */
export class RegistryError extends ImageScanError {
  override name = 'RegistryError';
  constructor(
    code: ScanErrorCode,
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export function toScanError(err: unknown, fallback: ScanErrorCode = 'internal'): ScanErrorEntry {
  if (err instanceof ImageScanError) return { code: err.code, message: err.message };
  const e = err as { name?: string; code?: string; message?: string } | null;
  if (e?.name === 'AbortError' || e?.code === 'ABORT_ERR') return { code: 'aborted', message: 'the scan was aborted' };
  if (e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT' || e?.code === 'UND_ERR_CONNECT_TIMEOUT' || e?.name === 'TimeoutError') {
    return { code: 'timeout', message: `registry did not answer in time (${e.code ?? e.name})` };
  }
  return { code: fallback, message: e?.message ?? String(err) };
}
