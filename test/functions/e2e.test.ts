// The local end-to-end harness (scripts/e2e.ts, `npm run e2e`) as a test: three real push payloads
// through the handlers, SQS and the worker to finding state, then a full redelivery that changes nothing.
import { expect, it } from 'vitest';
import { runE2e } from '../../scripts/e2e.ts';

it('takes ECR, Event Grid and Pub/Sub pushes to recorded findings, and shrugs off redelivery', async () => {
  const report = await runE2e();
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.checks.length).toBeGreaterThanOrEqual(14);
  expect(report.images.map((i) => i.trigger)).toEqual(['ECR push', 'Event Grid', 'Pub/Sub']);
}, 120_000);
