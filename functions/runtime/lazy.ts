// Builds a handler's dependencies once per Lambda container (on the first invocation), not at import,
// so importing a handler module in a test or a synth never touches the environment or the network.
// Every argument the runtime passes (the event, and the context with the remaining time) goes through.
export function lazyHandler<A extends unknown[], R>(build: () => Promise<(...args: A) => Promise<R>>): (...args: A) => Promise<R> {
  let built: Promise<(...args: A) => Promise<R>> | undefined;
  return async (...args) => {
    built ??= build().catch((err: unknown) => {
      built = undefined; // a failed cold start (e.g. a secret not yet readable) is retried next time
      throw err;
    });
    return (await built)(...args);
  };
}
