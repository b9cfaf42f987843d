// Passwords never reach the screen (docs/store.md, "Store locations"): a
// store URL may carry one, and every message, hint and debug trace is passed
// through withoutPassword.

/**
 * `text` with the password of every URL in it left out (`postgres://ann@host/db`
 * for `postgres://ann:secret@host/db`).
 */
export function withoutPassword(text: string): string {
  // user:password@ right after `scheme://`; the password may hold anything but `@` and whitespace.
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@]*@/g, '$1@');
}
