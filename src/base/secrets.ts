// Passwords never reach the screen (docs/store.md, "Store locations"): a
// store URL may carry one, and every message, hint and debug trace is passed
// through withoutPassword.

/**
 * `text` with the password of every URL in it left out: the user's
 * (`postgres://ann@host/db` for `postgres://ann:secret@host/db`) and a
 * `password=` parameter's (dropped from the query). A password typed without
 * percent-encoding may hold `@`, `/`, `#` or `?`: everything up to the last
 * `@` of the URL is taken for it.
 */
export function withoutPassword(text: string): string {
  return text
    .replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@]*):\S*@/g, '$1@')
    .replace(/([?&])password=[^&\s#]*(&?)/gi, (_, separator: string, next: string) => (next === '&' ? separator : ''));
}
