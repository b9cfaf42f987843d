// Where the package's own files are. The code runs from the bundle
// (dist/pops.cjs, one level below the package root) or from the TypeScript
// sources (src/base/paths.ts, two levels below); the root is the nearest
// folder above that holds the package's package.json.
import fs from 'node:fs';

function findPackageRoot(): URL {
  let dir = new URL('./', import.meta.url);
  for (let depth = 0; depth < 4; depth += 1) {
    dir = new URL('../', dir);
    if (fs.existsSync(new URL('package.json', dir))) return dir;
  }
  throw new Error(`cannot find the pops package folder above ${import.meta.url}`);
}

/** The package's root folder, found on first use (start-up, docs/performance.md). */
let packageRoot: URL | undefined;

export function packageFile(relativePath: string): URL {
  return new URL(relativePath, (packageRoot ??= findPackageRoot()));
}
