// Where the package's own files are. This module sits one level below the
// package root both as compiled (dist/paths.js), bundled (dist/pops.cjs) and
// as source (src/paths.ts), so one relative URL serves all three.
export const PACKAGE_ROOT = new URL('../', import.meta.url);

export function packageFile(relativePath: string): URL {
  return new URL(relativePath, PACKAGE_ROOT);
}
