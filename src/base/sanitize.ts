// Every text that came from the store passes through here before it reaches a
// terminal, a table, a CSV cell or a preview (docs/formats.md, "Sanitizing").
// Matching control characters is this module's whole job:
/* eslint no-control-regex: "off" */

// ESC-introduced sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC (ESC ] … BEL or ST), and two-byte escapes.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_]?)/g;
// C1 CSI/OSC given as single code points.
const C1_SEQUENCE = /[\u009b][0-?]*[ -/]*[@-~]|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u009c]*(?:\u0007|\u009c)?/g;
// C0 (but newline), DEL, C1, and bidirectional overrides/isolates that can reorder what a reader sees.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// Non-global twins for .test(): a global regexp keeps state between calls.
const HAS_CONTROL = new RegExp(CONTROL.source);
const HAS_CONTROL_OR_NEWLINE = new RegExp(CONTROL_OR_NEWLINE.source);

/**
 * Neutralize escape sequences and control characters. Each removed sequence or
 * control character becomes U+FFFD so a reader sees that something was there.
 * Newlines survive only when `allowNewline` is true; otherwise they become spaces.
 */
export function sanitize(text: string, options: { allowNewline?: boolean } = {}): string {
  // Nearly all text is clean: one scan, and it is returned as it is.
  if (!HAS_CONTROL_OR_NEWLINE.test(text)) return text;
  let out = text.replace(ESCAPE_SEQUENCE, '\ufffd').replace(C1_SEQUENCE, '\ufffd');
  if (options.allowNewline) {
    out = out.replace(/\r\n/g, '\n').replace(CONTROL, '\ufffd');
  } else {
    out = out.replace(/\r?\n/g, ' ').replace(CONTROL_OR_NEWLINE, '\ufffd');
  }
  return out;
}

/** True when the text holds something `sanitize` would change (used by validators). */
export function hasControlCharacters(text: string, options: { allowNewline?: boolean } = {}): boolean {
  return (options.allowNewline ? HAS_CONTROL : HAS_CONTROL_OR_NEWLINE).test(text);
}
