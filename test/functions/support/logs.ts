// A real pino logger (with the product's redaction) writing into memory, so tests can check that a
// refusal was logged with its reason and that no secret reached the log.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../../core/log.ts';

export interface CapturedLog {
  log: Logger;
  lines(): Record<string, unknown>[];
  text(): string;
  clear(): void;
}

export function captureLog(): CapturedLog {
  let chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ level: 'debug', destination });
  const text = () => chunks.join('');
  return {
    log,
    text,
    lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    clear: () => {
      chunks = [];
    },
  };
}
