// Structured logs to stderr (stdout belongs to reports). Secrets are redacted by key, wherever they sit,
// and every registered credential (core/redact.ts) is scrubbed from each line, whatever field it hides in.
import { pino, type DestinationStream, type Logger } from 'pino';
import { secrets } from './redact.ts';

const redactKeys = [
  'password', 'secret', 'token', 'authorization', 'Authorization', 'apiToken', 'clientSecret',
  'accessToken', 'refreshToken', 'sessionToken', 'secretAccessKey', 'privateKey', 'value',
];

export const redactPaths = [...redactKeys, ...redactKeys.map((k) => `*.${k}`), ...redactKeys.map((k) => `*.*.${k}`), 'headers.authorization', 'env[*].value'];

/** Writes each serialized line with known secrets scrubbed (an error message may quote one). */
function scrubbing(destination: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => destination.write(secrets.scrub(line)) };
}

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env.POSTURE_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'warn');
  return pino({ level, base: { app: 'posture' }, redact: { paths: redactPaths, censor: '[redacted]' } }, scrubbing(options.destination ?? process.stderr));
}

export const log = createLogger();
