// The text of a dump (docs/formats.md, "The dump"), a piece at a time: byte
// for byte what jsonText gives for the whole document, without ever holding
// the whole document (export of any size; docs/performance.md).
import { jsonText } from './output.js';

/**
 * `head` is the document without its accounts (its last field must be a
 * list); the accounts follow it as the document's last field.
 */
export function* dumpText(head: Record<string, unknown>, accounts: Iterable<unknown>): Generator<string> {
  const text = jsonText(head);
  // jsonText of an object ends with "\n}": the accounts go before that brace.
  yield text.slice(0, -2);
  let first = true;
  for (const account of accounts) {
    // One level deeper than jsonText puts it: every line 4 spaces further right (JSON strings hold no raw newline).
    yield `${first ? ',\n  "accounts": [\n    ' : ',\n    '}${jsonText(account).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? ',\n  "accounts": []\n}\n' : '\n  ]\n}\n';
}
