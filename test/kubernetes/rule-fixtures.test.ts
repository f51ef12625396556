// The Rego fixtures of the Kubernetes rule tests are the real normalizer's output for the objects in
// test/fixtures/kubernetes/rule-objects.ts; a change to either must regenerate them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturesFile, renderK8sFixtures } from '../../scripts/gen-k8s-rule-fixtures.ts';

describe('Kubernetes rule fixtures', () => {
  it('match what the normalizer makes of the fixture objects (run scripts/gen-k8s-rule-fixtures.ts)', () => {
    expect(readFileSync(fixturesFile, 'utf8')).toBe(renderK8sFixtures());
  });
});
