// Loads scope-sweeps.ts on first use. From source the specifier is the .ts module; the worker bundle
// defines __POSTURE_SCOPE_MODULE__ as the separately bundled ./scopes.mjs beside index.mjs (see
// infra/posture-stack.ts). The specifier is a variable so esbuild leaves the import to run time instead
// of inlining the cloud SDKs into the image path's bundle.
import type * as ScopeSweeps from './scope-sweeps.ts';

declare const __POSTURE_SCOPE_MODULE__: string | undefined;

let loaded: Promise<typeof ScopeSweeps> | undefined;

export function loadScopeSweeps(): Promise<typeof ScopeSweeps> {
  const specifier = typeof __POSTURE_SCOPE_MODULE__ === 'string' ? __POSTURE_SCOPE_MODULE__ : './scope-sweeps.ts';
  loaded ??= import(specifier) as Promise<typeof ScopeSweeps>;
  return loaded;
}
