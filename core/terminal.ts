// Text from scanned data and from servers (file names, image labels, registry error bodies) reaches a
// terminal. Raw control characters there are instructions: ESC sequences clear the screen or move the
// cursor to overwrite lines, OSC sets the window title or writes hyperlinks, CR and backspace fake text,
// bidirectional overrides reorder what is shown. They are shown escaped (`\x1b`) instead, so the reader
// sees that something was there.

// C0 controls (tab and, when asked, newline excepted), DEL, C1 controls, and the Unicode bidi controls.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const controlsAndNewlines = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes control characters; newlines stay only with `keepNewlines` (multi-line messages we wrote). */
export function stripControl(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? controls : controlsAndNewlines, escape);
}
