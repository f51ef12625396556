// A usage mistake found after parsing (a missing option, a bad value): the CLI prints it and exits 2.
export class UsageError extends Error {
  override name = 'UsageError';
}
