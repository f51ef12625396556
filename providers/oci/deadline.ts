// Wall-clock deadlines layered on a parent signal (the caller's, or an enclosing deadline). When one
// fires, the abort reason is an ImageScanError naming which deadline it was, so the scan error says
// "the blob deadline of 900 s passed" rather than a bare AbortError.
import { ImageScanError } from './errors.ts';

export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer (call when the work finished first). */
  done(): void;
}

/** setTimeout's ceiling (about 24.8 days); longer means no deadline of our own. */
const maxTimerMs = 2 ** 31 - 1;

export function deadline(parent: AbortSignal | undefined, ms: number, label: string): Deadline {
  if (ms > maxTimerMs) return { signal: parent ?? new AbortController().signal, done: () => {} };
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(new ImageScanError('timeout', `${label}: not finished within the ${formatMs(ms)} deadline`)), ms);
  timer.unref?.();
  const signal = parent ? AbortSignal.any([parent, own.signal]) : own.signal;
  return { signal, done: () => clearTimeout(timer) };
}

export async function withDeadline<T>(parent: AbortSignal | undefined, ms: number, label: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const d = deadline(parent, ms, label);
  try {
    return await work(d.signal);
  } catch (err) {
    throw abortReason(err, d.signal);
  } finally {
    d.done();
  }
}

/** After an abort, the reason (our deadline error, or the caller's) explains more than the AbortError thrown. */
export function abortReason(err: unknown, signal: AbortSignal | undefined): unknown {
  if (!signal?.aborted) return err;
  const reason: unknown = signal.reason;
  if (reason instanceof ImageScanError) return reason;
  return err;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
