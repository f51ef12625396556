// What the CLI prints that it did not write itself (error messages quoting servers and files) goes
// through here: known secrets scrubbed, control characters shown escaped.
import { secrets } from '../core/redact.ts';
import { stripControl } from '../core/terminal.ts';

export function safeText(text: string): string {
  return stripControl(secrets.scrub(text), { keepNewlines: true });
}
