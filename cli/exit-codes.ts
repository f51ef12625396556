// Documented exit codes for CI gating (also in the README). When several apply, the lowest row of the
// README table that applies wins, in this order: 2, 3, 4, 1, 0.
export const ExitCode = {
  /** Scan complete; no finding at or above --fail-on. */
  ok: 0,
  /** Scan complete; at least one finding at or above --fail-on. */
  findings: 1,
  /** Bad usage or configuration; nothing was scanned. */
  usage: 2,
  /** Some inputs could not be read or collected; everything else was scanned and reported. */
  inputErrors: 3,
  /** Publishing left deliveries pending or parked in the outbox (a service was down or refused them): nothing is lost, `posture publish` delivers them. */
  undelivered: 4,
} as const;
