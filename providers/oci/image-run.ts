// What one run (a CLI invocation, a worker job) shares across the images it collects: a budget of
// images analysed, and the analysis of each manifest digest, so an image named twice (two tags, two
// repositories, an index listing the same manifest twice) is pulled and analysed once.
import type { ImageContents } from '../../core/asset.ts';
import type { ScanErrorEntry } from './errors.ts';
import type { ImageConfig } from './manifest.ts';

export interface Analysis {
  config: ImageConfig | null;
  rawConfig: unknown;
  contents: ImageContents | null;
  scanErrors: ScanErrorEntry[];
}

export class ImageRun {
  private readonly analyses = new Map<string, Promise<Analysis>>();

  constructor(readonly maxImages: number = 1000) {}

  get analysed(): number {
    return this.analyses.size;
  }

  /**
   * The analysis of `digest`: the one already made or under way, else `analyse()` if the budget allows.
   * Null when the budget is spent (the caller reports partial coverage).
   */
  analysis(digest: string, analyse: () => Promise<Analysis>): Promise<Analysis> | null {
    const known = this.analyses.get(digest);
    if (known) return known;
    if (this.analyses.size >= this.maxImages) return null;
    const made = analyse();
    this.analyses.set(digest, made);
    // A failed analysis (an abort) is not remembered: a later attempt may succeed.
    made.catch(() => this.analyses.delete(digest));
    return made;
  }

  /** Drops a remembered analysis whose problems belonged to that pull (a timeout), so the next one retries. */
  forget(digest: string): void {
    this.analyses.delete(digest);
  }
}
