// Artifact Analysis (Container Analysis) for a pulled Artifact Registry image: its VULNERABILITY occurrences,
// read through the Grafeas API that containeranalysis.googleapis.com serves (grafeas.v1.Grafeas
// ListOccurrences, the client @google-cloud/containeranalysis hands out, used here directly), filtered to the
// image's resource URL `https://<location>-docker.pkg.dev/<project>/<repository>/<image>@sha256:…` in the
// image's project. Artifact Analysis writes occurrences for vulnerabilities only, so an image without one is
// no evidence (null): REG-002 is then not evaluated. A failed call throws (the orchestration records it as
// unreadable). docs/vulnerabilities.md keeps the fields read here.
import { GrafeasClient } from '@google-cloud/grafeas';
import type { AuthClient } from 'google-auth-library';
import { fromArtifactAnalysis, maxNativeFindings } from '../../vulns/native/findings.ts';
import type { NativeScanModule } from '../provider.ts';
import { defaultGoogleAuthClient } from './auth.ts';
import { endpointOptions } from './endpoint.ts';
import type { GcpAccess } from './provider.ts';
import type { GcpSettings } from './settings.ts';

export const containerAnalysisHost = 'containeranalysis.googleapis.com';
const pageSize = 500;

/**
 * The occurrence resource URL of an image and the project it lives in (the first path segment, for
 * `<location>-docker.pkg.dev` as for `gcr.io`), or null when either is not well formed. The host is the one
 * the provider recognised as Google's (or was told serves like it).
 */
export function artifactAnalysisResource(registry: string, repository: string, digest: string): { project: string; url: string } | null {
  const host = registry.toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host) || !/^sha256:[0-9a-f]{64}$/.test(digest) || !/^[a-z0-9._/-]+$/.test(repository)) return null;
  const project = repository.split('/')[0] ?? '';
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) return null;
  return { project, url: `https://${host}/${repository}@${digest}` };
}

/** The filter for one image; both values are checked first, so nothing from outside reaches it unchecked. */
export function occurrenceFilter(resourceUrl: string): string {
  if (!/^https:\/\/[a-z0-9.-]+(:\d{1,5})?\/[a-z0-9._\/-]+@sha256:[0-9a-f]{64}$/.test(resourceUrl)) throw new Error(`not an image resource URL: ${resourceUrl.slice(0, 120)}`);
  return `kind="VULNERABILITY" AND resourceUrl="${resourceUrl}"`;
}

let adc: Promise<AuthClient> | undefined;

export const nativeScan: NativeScanModule<GcpSettings, GcpAccess> = {
  enabled: (settings) => settings.artifactAnalysis,
  async read({ settings, access, image, target, signal }) {
    const resource = artifactAnalysisResource(target.image.registry, target.image.repository, image.image.digest);
    if (!resource) return { scanner: 'artifact-analysis', findings: null, truncated: false };
    let authClient = access.authClient;
    if (!authClient) {
      adc ??= defaultGoogleAuthClient();
      adc.catch(() => (adc = undefined));
      authClient = await adc;
    }
    const client = new GrafeasClient({ authClient, apiEndpoint: containerAnalysisHost, ...endpointOptions(settings.endpoints.containerAnalysis), ...access.clientOptions?.containerAnalysis });
    const occurrences: unknown[] = [];
    let truncated = false;
    try {
      const request = { parent: `projects/${resource.project}`, filter: occurrenceFilter(resource.url), pageSize };
      for await (const occurrence of client.listOccurrencesAsync(request, { autoPaginate: false, timeout: 60_000 })) {
        if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
        if (occurrences.length >= maxNativeFindings) {
          truncated = true;
          break;
        }
        occurrences.push(occurrence);
      }
    } finally {
      await client.close();
    }
    // Occurrences exist for vulnerabilities only: none is no evidence that the image was scanned.
    return { scanner: 'artifact-analysis', findings: occurrences.length > 0 ? fromArtifactAnalysis(occurrences).slice(0, maxNativeFindings) : null, truncated };
  },
};
