// Collection errors for any cloud: one refused scope (account, subscription, project, resource) is
// recorded and reported while the rest is still read. Each provider supplies how to describe its errors.
import type { Asset } from './asset.ts';
import { log } from './log.ts';

export interface CollectionError {
  /** A path such as `aws/222222222222/eu-west-1/ecr` or `gcp/my-project/gke`. */
  scope: string;
  message: string;
}

/** What a cloud collector returns: everything it could read, and what it could not. */
export interface CloudCollection {
  assets: Asset[];
  errors: CollectionError[];
}

/** The outcome of reading one input of a resource: its value, or why it could not be read. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

/** Errors from concurrent work, each logged once; `guard` turns a failure into a recorded error and `undefined`. */
export class CollectionErrorLog {
  private readonly entries: CollectionError[] = [];

  constructor(
    private readonly cloud: string,
    private readonly describe: (err: unknown) => string,
  ) {}

  add(scope: string, err: unknown): void {
    const message = typeof err === 'string' ? err : this.describe(err);
    log.warn({ scope, error: message }, `${this.cloud} collection error`);
    this.entries.push({ scope, message });
  }

  list(): CollectionError[] {
    return [...this.entries].sort((a, b) => a.scope.localeCompare(b.scope) || a.message.localeCompare(b.message));
  }

  /**
   * One input of a resource (its diagnostic settings, its replications, …): a failure is recorded for the
   * scope like `guard` does, and its description is returned too, so the asset can say which of its inputs
   * is missing and why (`collectionErrors`) instead of leaving it merely absent.
   */
  async attempt<T>(scope: string, work: () => Promise<T>): Promise<Attempt<T>> {
    try {
      return { ok: true, value: await work() };
    } catch (err) {
      this.add(scope, err);
      return { ok: false, error: typeof err === 'string' ? err : this.describe(err) };
    }
  }

  async guard<T>(scope: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      this.add(scope, err);
      return undefined;
    }
  }
}
