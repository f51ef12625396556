// Jobs a scope job hands on: one `scan-image` per image it found, traced back to the sweep that found it.
import { ScanImageJob, type ScanScopeJob } from '../../core/jobs.ts';
import { parseReference } from '../../providers/oci/index.ts';

/** Validated here, so a bad digest or an over-long name is this scope's error, not a poison message later. */
export function imageJob(scope: ScanScopeJob, image: ScanImageJob['image'], account = scope.account, region = scope.region): ScanImageJob {
  return ScanImageJob.parse({
    v: 1,
    type: 'scan-image',
    cloud: scope.cloud,
    account,
    region,
    trigger: { source: 'scope', eventId: scope.trigger.eventId, at: scope.trigger.at },
    image,
  });
}

/** `host/repo:tag` or `host/repo@sha256:…` (with or without oci://) → the job's image fields. */
export function imageFromReference(reference: string): ScanImageJob['image'] {
  const ref = parseReference(reference.startsWith('oci://') ? reference : `oci://${reference}`);
  return { registry: ref.registry, repository: ref.repository, digest: ref.digest, tag: ref.digest ? null : ref.tag };
}
