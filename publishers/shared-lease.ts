// Shared values under a lease, for publisher work that spans findings (one Jira issue for a group).
// Within one drain run, work on the same key queues in-process, so a batch never contends with
// itself; across drainers the state store's conditional lease decides, and the loser is deferred.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/state/clock.ts';
import type { StateStore } from '../core/state/store.ts';
import { DeliveryDeferred, DeliveryError, type SharedLeases } from './publisher.ts';

/** How soon a delivery deferred behind another drainer's lease is tried again. */
export const busyRetryMs = 1_000;

export function sharedLeases(store: StateStore, options: { owner: string; clock: Clock; leaseMs: number }): SharedLeases | undefined {
  const { leaseShared, writeShared } = store;
  if (!leaseShared || !writeShared) return undefined;
  const lease = leaseShared.bind(store);
  const write = writeShared.bind(store);
  const queues = new Map<string, Promise<unknown>>();

  const locked = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const before = queues.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    try {
      return await run;
    } finally {
      if (queues.get(key) === tail) queues.delete(key);
    }
  };

  return {
    withLease: (key, work) =>
      locked(key, async () => {
        const owner = `${options.owner}/${randomUUID()}`;
        const now = options.clock.now();
        const taken = await lease({ key, owner, now, leaseMs: options.leaseMs });
        if (!taken.held) {
          throw new DeliveryDeferred(`${key} is being updated by another drainer`, Math.max(now + 1, Math.min(taken.heldUntil, now + busyRetryMs)));
        }
        let released = false;
        try {
          const save = async (value: string) => {
            if (!(await write({ key, owner, value, release: false }))) throw new DeliveryError(`lost the lease on ${key} while working on it`, true);
          };
          const { result, value } = await work({ value: taken.value, save });
          released = await write({ key, owner, value, release: true });
          if (!released) throw new DeliveryError(`lost the lease on ${key} before saving it`, true);
          return result;
        } finally {
          if (!released) await write({ key, owner, release: true });
        }
      }),
  };
}
