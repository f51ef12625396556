// Collects scan errors for one image. A hostile layer can produce the same problem a hundred thousand
// times, so each code keeps its first few messages and then a count, keeping the asset small.
import type { ScanErrorCode, ScanErrorEntry } from '../errors.ts';

const keptPerCode = 5;

export class ScanErrorLog {
  private readonly kept: ScanErrorEntry[] = [];
  private readonly counts = new Map<ScanErrorCode, number>();

  add(code: ScanErrorCode, message: string): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n <= keptPerCode) this.kept.push({ code, message });
  }

  has(code: ScanErrorCode): boolean {
    return this.counts.has(code);
  }

  get size(): number {
    return this.counts.size;
  }

  list(): ScanErrorEntry[] {
    const summaries: ScanErrorEntry[] = [];
    for (const [code, n] of this.counts) {
      if (n > keptPerCode) summaries.push({ code, message: `${n - keptPerCode} more "${code}" problems not listed (${n} in all)` });
    }
    return [...this.kept, ...summaries];
  }
}
