// Builds a handler's dependencies once per Lambda container (on the first invocation), not at import,
// so importing a handler module in a test or a synth never touches the environment or the network.
export function lazyHandler<E, R>(build: () => Promise<(event: E) => Promise<R>>): (event: E) => Promise<R> {
  let built: Promise<(event: E) => Promise<R>> | undefined;
  return async (event) => {
    built ??= build().catch((err: unknown) => {
      built = undefined; // a failed cold start (e.g. a secret not yet readable) is retried next time
      throw err;
    });
    return (await built)(event);
  };
}
