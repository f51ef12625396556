// Documented exit codes for CI gating (also in the README).
export const ExitCode = {
  /** Scan complete; no finding at or above --fail-on. */
  ok: 0,
  /** Scan complete; at least one finding at or above --fail-on. */
  findings: 1,
  /** Bad usage or configuration; nothing was scanned. */
  usage: 2,
  /** Some inputs could not be read or collected; everything else was scanned and reported. */
  inputErrors: 3,
} as const;
