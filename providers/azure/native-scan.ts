// Microsoft Defender for Containers' findings for a pulled ACR image, through Azure Resource Graph. Defender's
// registry vulnerability assessment (powered by Microsoft Defender Vulnerability Management, assessment key
// c0b7cfc6-3172-465a-b378-53c7ff2cc0d5) publishes one sub-assessment per vulnerability and package of each
// image in the `securityresources` table, the image named in additionalData.artifactDetails (registryHost,
// repositoryName, digest). The query goes through the ACR SDK client's authenticated ARM pipeline (token,
// retries, Retry-After, TLS), so no Resource Graph SDK is needed for one POST. docs/vulnerabilities.md keeps
// the fields read here.
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { fromDefender, maxNativeFindings } from '../../vulns/native/findings.ts';
import type { NativeScanModule } from '../provider.ts';
import { newAzureRun } from './collect.ts';
import { azureCredential } from './credentials.ts';
import type { AzureAccess } from './provider.ts';
import type { AzureSettings } from './settings.ts';

export const defenderAssessmentKey = 'c0b7cfc6-3172-465a-b378-53c7ff2cc0d5';
export const resourceGraphApiVersion = '2022-10-01';
const maxPages = 5;
const maxResponseChars = 32 * 1024 * 1024;

const QueryResponse = z.object({ data: z.array(z.unknown()), $skipToken: z.string().nullish() }).loose();

/** The query for one image. Both values are checked first: nothing from outside reaches the KQL unchecked. */
export function defenderQuery(registryHost: string, digest: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`not an image digest: ${digest.slice(0, 80)}`);
  if (!/^[a-z0-9.-]{1,253}(:\d{1,5})?$/i.test(registryHost)) throw new Error(`not a registry host: ${registryHost.slice(0, 80)}`);
  return [
    'securityresources',
    "| where type =~ 'microsoft.security/assessments/subassessments'",
    `| where id contains '/providers/Microsoft.Security/assessments/${defenderAssessmentKey}/'`,
    "| where tostring(properties.additionalData.assessedResourceType) == 'AzureContainerRegistryVulnerability'",
    `| where tostring(properties.additionalData.artifactDetails.digest) == '${digest}'`,
    `| where tostring(properties.additionalData.artifactDetails.registryHost) =~ '${registryHost.toLowerCase()}'`,
    '| project id, properties',
  ].join('\n');
}

const credentials = new WeakMap<object, TokenCredential>();
const anySubscription = '00000000-0000-0000-0000-000000000000';

export const nativeScan: NativeScanModule<AzureSettings, AzureAccess> = {
  enabled: (settings) => settings.defenderFindings,
  async read({ settings, access, image, target, signal }) {
    let credential = access.credential ?? credentials.get(settings);
    if (!credential) {
      credential = azureCredential(settings);
      credentials.set(settings, credential);
    }
    const run = newAzureRun(settings, credential, access.tls);
    const query = defenderQuery(target.image.registry, image.image.digest);
    // The registry's subscription when the scope that found the image says; else every one the identity reads.
    const subscription = target.provider === 'azure' && target.account ? target.account : null;
    const pipeline = new ContainerRegistryManagementClient(credential, subscription ?? anySubscription, run.clientOptions).pipeline;
    const url = `${run.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${resourceGraphApiVersion}`;
    const rows: unknown[] = [];
    let skipToken: string | null | undefined;
    for (let page = 0; page < maxPages; page++) {
      const body = { ...(subscription ? { subscriptions: [subscription] } : {}), query, options: { resultFormat: 'objectArray', $top: 1000, ...(skipToken ? { $skipToken: skipToken } : {}) } };
      const response = await pipeline.sendRequest(
        run.httpClient,
        createPipelineRequest({ url, method: 'POST', body: JSON.stringify(body), headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }), ...(signal ? { abortSignal: signal } : {}) }),
      );
      const text = response.bodyAsText ?? '';
      if (response.status !== 200) throw Object.assign(new Error(`Resource Graph query for ${target.image.registry}@${image.image.digest}: HTTP ${response.status} ${text.slice(0, 300)}`), { statusCode: response.status });
      if (text.length > maxResponseChars) throw new Error(`Resource Graph answered more than ${maxResponseChars} characters for one page`);
      const parsed = QueryResponse.parse(JSON.parse(text));
      rows.push(...parsed.data);
      skipToken = parsed.$skipToken;
      if (!skipToken || rows.length >= maxNativeFindings) break;
    }
    const findings = fromDefender(rows);
    // Defender publishes sub-assessments for vulnerabilities only: no row is no evidence that it scanned the image.
    return { scanner: 'defender', findings: rows.length > 0 ? findings.slice(0, maxNativeFindings) : null, truncated: Boolean(skipToken) || findings.length > maxNativeFindings };
  },
};
