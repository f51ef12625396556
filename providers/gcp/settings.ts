// The `gcp:` section of posture.yaml. Credentials come from Application Default Credentials, never from here.
import { z } from 'zod';

/** `host` or `host:port` of an API endpoint (private service connect, sovereign clouds, stand-ins). */
const HostPort = z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an endpoint host looks like container.googleapis.com or host:port');
const GcpProjectId = z.string().regex(/^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id is 6-30 lowercase letters, digits and hyphens');

/** `posture scan --gcp`: which projects to read and how. Credentials come from ADC, never from here. */
export const GcpSettings = z
  .object({
    projects: z.array(GcpProjectId).default([]),
    services: z.array(z.enum(['gke', 'artifact-registry'])).min(1).default(['gke', 'artifact-registry']),
    /** Artifact Registry locations to read (e.g. europe-west3, europe); empty means every location the project lists. */
    locations: z.array(z.string().regex(/^[a-z]+(-[a-z]+\d+)?$/, 'a location looks like europe-west3 or europe')).default([]),
    endpoints: z.object({ container: HostPort.optional(), artifactRegistry: HostPort.optional(), containerAnalysis: HostPort.optional() }).strict().default({}),
    /**
     * Read Artifact Analysis' vulnerability occurrences for each pulled Artifact Registry image (REG-002, and
     * `detectedBy` on our own matches). Needs roles/containeranalysis.occurrences.viewer on the image's project.
     */
    artifactAnalysis: z.boolean().default(true),
    /** Newest images pulled and analyzed per Docker repository; 0 reads repositories only. */
    imagesPerRepository: z.number().int().min(0).max(1000).default(3),
    analyzeLayers: z.boolean().default(true),
    /** Projects worked at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
  })
  .strict();
export type GcpSettings = z.infer<typeof GcpSettings>;
