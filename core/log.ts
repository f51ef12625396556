// Structured logs to stderr (stdout belongs to reports). Secrets are redacted by key, wherever they sit.
import { pino, type Logger } from 'pino';

const redactKeys = [
  'password', 'secret', 'token', 'authorization', 'Authorization', 'apiToken', 'clientSecret',
  'accessToken', 'refreshToken', 'sessionToken', 'secretAccessKey', 'privateKey', 'value',
];

export const redactPaths = [...redactKeys, ...redactKeys.map((k) => `*.${k}`), ...redactKeys.map((k) => `*.*.${k}`), 'headers.authorization', 'env[*].value'];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env.POSTURE_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'warn');
  return pino(
    { level, base: { app: 'posture' }, redact: { paths: redactPaths, censor: '[redacted]' } },
    (options.destination ?? process.stderr) as pino.DestinationStream,
  );
}

export const log = createLogger();
