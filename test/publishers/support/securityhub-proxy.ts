// A loopback proxy in front of moto's Security Hub that adds what moto leaves out: it refuses a
// BatchImportFindings call with more than 100 findings or 6 MB (as the API does), records how many findings
// each call carried, and can make chosen findings fail (moto reports a finding with no Resources in
// FailedFindings) or the next calls fail whole with a 500, so per-finding failures come from moto itself.
import { type Reply, serve } from './standin-http.ts';

const dropHeaders = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

export async function startSecurityHubProxy(motoEndpoint: string) {
  const importCalls: number[] = [];
  const rejectIds = new Set<string>();
  let failCalls = 0;

  const started = await serve(async (req, url, text): Promise<Reply> => {
    let body = text;
    if (req.method === 'POST' && url.pathname === '/findings/import') {
      const parsed = JSON.parse(text) as { Findings?: { Id?: string; Resources?: unknown[] }[] };
      const findings = parsed.Findings ?? [];
      importCalls.push(findings.length);
      const refuse = (status: number, type: string, message: string): Reply => ({ status, body: { message }, headers: { 'x-amzn-errortype': type } });
      if (findings.length < 1 || findings.length > 100) return refuse(400, 'InvalidInputException', 'Findings must hold between 1 and 100 findings');
      if (Buffer.byteLength(text) > 6 * 1024 * 1024) return refuse(413, 'InvalidInputException', 'a batch may carry at most 6 MB');
      if (failCalls > 0) {
        failCalls -= 1;
        return refuse(500, 'InternalException', 'internal error');
      }
      for (const f of findings) if (f.Id && rejectIds.has(f.Id)) f.Resources = [];
      body = JSON.stringify(parsed);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!dropHeaders.has(k) && typeof v === 'string') headers[k] = v;
    const res = await fetch(`${motoEndpoint}${url.pathname}${url.search}`, { method: req.method ?? 'GET', headers, body: body.length ? body : undefined });
    return { status: res.status, body: await res.text(), headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } };
  }, { maxBody: 8 * 1024 * 1024 });

  return {
    endpoint: started.url,
    /** Findings per BatchImportFindings call, in order. */
    importCalls,
    rejectIds,
    /** Answer the next N import calls with a 500 InternalException. */
    failNextCalls: (n: number) => {
      failCalls = n;
    },
    close: started.close,
  };
}
