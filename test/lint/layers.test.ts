// The layers of docs/architecture.md are enforced by `npm run lint`: an import
// that crosses them is an error. Checked here with ESLint itself on probe files
// that are never written to disk.
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    [
      'src/render/probe.ts',
      "import { openStore } from '../store/open.js';\nexport const probe = openStore;\n",
      /src\/render may import only from src\/domain, src\/base/,
    ],
    ['src/domain/probe.ts', "import { sanitize } from '../render/output.js';\nexport const probe = sanitize;\n", /src\/domain may import only from src\/base/],
    [
      'src/domain/probe.ts',
      "import { listGroups } from '../store/groups.js';\nexport const probe = listGroups;\n",
      /src\/domain may import only from src\/base/,
    ],
    [
      'src/store/probe.ts',
      "import { jsonText } from '../render/output.js';\nexport const probe = jsonText;\n",
      /src\/store may import only from src\/domain, src\/base/,
    ],
    [
      'src/base/probe.ts',
      "import { parseMoney } from '../domain/money.js';\nexport const probe = parseMoney;\n",
      /src\/base may import only from node and libraries/,
    ],
    ['src/commands/groups/probe.ts', "import list from './list.js';\nexport const probe = list;\n", /A command does not import another command/],
    ['src/commands/probe.ts', "import { main } from '../cli.js';\nexport const probe = main;\n", /A command does not import another command/],
  ])('%s: a forbidden import is an error', async (file, source, message) => {
    const errors = await layerErrors(file, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    [
      'src/commands/probe.ts',
      "import { withStore } from '../shell/context.js';\nimport { listGroups } from '../store/groups.js';\nimport { writeJson } from '../render/output.js';\nexport const probe = [withStore, listGroups, writeJson];\n",
    ],
    [
      'src/render/probe.ts',
      "import { formatMoney } from '../domain/money.js';\nimport { sanitize } from '../base/sanitize.js';\nexport const probe = [formatMoney, sanitize];\n",
    ],
    ['src/store/probe.ts', "import { accountFigures } from '../domain/balances.js';\nexport const probe = accountFigures;\n"],
  ])('%s: imports along the layers are allowed', async (file, source) => {
    expect(await layerErrors(file, source)).toEqual([]);
  });
});
