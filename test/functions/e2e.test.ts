// The local end-to-end harness (scripts/e2e.ts, `npm run e2e`) as a test: real push payloads (an ECR push in
// the deployment's account, one in a member account forwarded through the organization bus on moto's
// EventBridge, Event Grid, Pub/Sub) through the handlers, SQS and the worker to finding state, then a full
// redelivery that changes nothing.
import { expect, it } from 'vitest';
import { runE2e } from '../../scripts/e2e.ts';

it('takes ECR (own and member account), Event Grid and Pub/Sub pushes to recorded findings, and shrugs off redelivery', async () => {
  const report = await runE2e();
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.checks.length).toBeGreaterThanOrEqual(16);
  expect(report.images.map((i) => i.trigger)).toEqual(['ECR push', 'ECR push (member account)', 'Event Grid', 'Pub/Sub']);
  // The member account's push is scanned as that account's image, from that account's registry.
  expect(report.images.find((i) => i.trigger === 'ECR push (member account)')?.assetId).toMatch(/^oci:\/\/210987654321\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/shop\/api@sha256:/);
}, 120_000);
