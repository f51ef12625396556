// Diagnostic settings of a resource (`{id}/providers/Microsoft.Insights/diagnosticSettings`), read with
// the same authenticated ARM pipeline as the SDK client, so no monitor SDK is needed for one GET.
import { createHttpHeaders, createPipelineRequest, type HttpClient, type Pipeline } from '@azure/core-rest-pipeline';
import { z } from 'zod';

export const diagnosticSettingsApiVersion = '2021-05-01-preview';

const ListResponse = z.object({ value: z.array(z.record(z.string(), z.unknown())), nextLink: z.string().nullish() }).loose();
const maxPages = 20;

export interface DiagnosticSettingsReader {
  /** ARM wire JSON of every diagnostic setting on `resourceId`. */
  list(resourceId: string): Promise<unknown[]>;
}

export function diagnosticSettingsReader(pipeline: Pipeline, httpClient: HttpClient, endpoint: string): DiagnosticSettingsReader {
  return {
    async list(resourceId) {
      const out: unknown[] = [];
      let url: string | null | undefined = `${endpoint.replace(/\/$/, '')}${resourceId}/providers/Microsoft.Insights/diagnosticSettings?api-version=${diagnosticSettingsApiVersion}`;
      for (let page = 0; url && page < maxPages; page++) {
        const response = await pipeline.sendRequest(httpClient, createPipelineRequest({ url, method: 'GET', headers: createHttpHeaders({ accept: 'application/json' }) }));
        if (response.status !== 200) {
          const body = (response.bodyAsText ?? '').slice(0, 300);
          throw Object.assign(new Error(`diagnostic settings of ${resourceId}: HTTP ${response.status} ${body}`), { statusCode: response.status });
        }
        const parsed = ListResponse.parse(JSON.parse(response.bodyAsText ?? '{}'));
        out.push(...parsed.value);
        url = parsed.nextLink;
      }
      return out;
    },
  };
}
