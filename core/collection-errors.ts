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

  async guard<T>(scope: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      this.add(scope, err);
      return undefined;
    }
  }
}
