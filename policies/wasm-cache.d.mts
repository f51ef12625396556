// Types of wasm-cache.mjs (plain JavaScript: its writer runs without a TypeScript loader).
export type CacheStatus = 'hit' | 'miss' | 'corrupt' | 'unusable' | 'rejected' | 'unsupported' | 'off';
export const maxEntries: number;
export const maxBytes: number;
export function cacheDir(env?: NodeJS.ProcessEnv): string;
export function entryFile(wasm: Uint8Array, env?: NodeJS.ProcessEnv): string;
export function cacheEnabled(env?: NodeJS.ProcessEnv): boolean;
export function readEntry(wasm: Uint8Array, file?: string): { status: Exclude<CacheStatus, 'off'>; module?: WebAssembly.Module };
export function compilePolicyModule(
  wasm: Uint8Array,
  options: { wasmFile: string; writer: string; env?: NodeJS.ProcessEnv },
): Promise<{ module: WebAssembly.Module; cache: CacheStatus }>;
export function writeEntry(wasmFile: string, env?: NodeJS.ProcessEnv): string | undefined;
export function prune(dir: string): void;
