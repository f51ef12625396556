// The part of sprintf-js (no bundled types) the policy host calls.
declare module 'sprintf-js' {
  export function vsprintf(format: string, args: unknown[]): string;
}
