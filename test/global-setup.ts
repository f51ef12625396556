// Every suite evaluates the real Wasm bundle, so build it once before any test runs.
import { buildPolicies } from '../scripts/build-policies.ts';

export default async function setup(): Promise<void> {
  await buildPolicies();
}
