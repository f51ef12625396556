// A Lambda runtime for a bundle under the Runtime Interface Emulator (scripts/bench/bundle.ts): what the
// managed Node.js runtime does, reduced to the Runtime API loop. Init is importing the handler's module
// (its top level runs, as in Lambda); the emulator counts it from this process's start to the first
// /invocation/next and logs it as "INIT REPORT(durationMs: …)" (the Init Duration of Lambda's REPORT line;
// this emulator's own REPORT line prints a near-zero Init Duration, which it times around a call that
// returns before the runtime has started).
//   aws-lambda-rie node lambda-bootstrap.mjs   (LAMBDA_TASK_ROOT: the unpacked bundle; _HANDLER: file.export)
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const agent = new http.Agent({ keepAlive: true });
function call(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const [file, name] = (process.env._HANDLER ?? 'index.handler').split('.');
const handler = (await import(pathToFileURL(path.join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), `${file}.mjs`)).href))[name];

for (;;) {
  const next = await call('GET', `${api}/invocation/next`);
  const id = next.headers['lambda-runtime-aws-request-id'];
  const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
  const context = { awsRequestId: id, getRemainingTimeInMillis: () => deadline - Date.now(), functionName: process.env.AWS_LAMBDA_FUNCTION_NAME };
  try {
    const result = await handler(JSON.parse(next.body), context);
    await call('POST', `${api}/invocation/${id}/response`, JSON.stringify(result ?? null));
  } catch (err) {
    await call('POST', `${api}/invocation/${id}/error`, JSON.stringify({ errorType: err?.name ?? 'Error', errorMessage: String(err?.message ?? err) }));
  }
}
