// Types of cli-bundle.mjs (plain JavaScript, read by bin/posture.js before any TypeScript loader exists).
export const root: string;
export const outDir: string;
/** esbuild's metafile of the last build: which sources each output file holds and what it imports. */
export const metaFile: string;
/** The entry module of a bundle built after every one of its sources changed, or undefined. */
export function freshEntry(): string | undefined;
/** Builds the bundle and returns its entry module. */
export function buildCli(): Promise<string>;
