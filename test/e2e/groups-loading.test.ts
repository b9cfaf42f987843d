// Commands load only what they use (SPEC §9): the validation library, the
// phone metadata and the prompt library stay unloaded by the group commands
// that do not parse settings or ask questions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, childEnv, makeStore, tempDir } from '../helpers/cli.js';

const REGISTER = pathToFileURL(path.join(ROOT, 'test', 'helpers', 'trace-loads.mjs')).href;

/** The modules `pops <args>` resolved while it ran. */
function modulesLoadedBy(args: string[]): string[] {
  const trace = path.join(tempDir('pops-trace-'), 'modules.txt');
  const result = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], {
    env: childEnv({ POPS_TRACE_FILE: trace }),
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
}

// The program itself is one bundle (dist/pops.cjs): what stays unloaded are these libraries.
const HEAVY = /node_modules\/(zod|libphonenumber-js|@inquirer)\//;

let db: string;
beforeAll(async () => {
  db = await makeStore({ demo: true });
});

describe('module loading', () => {
  it('the trace sees what a command that parses settings loads', () => {
    // zod and the phone metadata load when an e-mail and a number are first parsed.
    const loaded = modulesLoadedBy(['--db', db, 'groups', 'set', '1', '--footer-email', 'billing@example.com', '--footer-phone', '312-555-0142', '--dry-run']);
    expect(loaded.some((url) => url.includes('/node_modules/zod/'))).toBe(true);
    expect(loaded.some((url) => url.includes('/node_modules/libphonenumber-js/'))).toBe(true);
    expect(loaded.some((url) => url.includes('/node_modules/@inquirer/'))).toBe(false);
  });

  it.each([
    ['groups list --json', ['groups', 'list', '--json']],
    ['groups list', ['groups', 'list']],
    ['groups show', ['groups', 'show', '1']],
    ['groups collections', ['groups', 'collections', '1', 'off', '--dry-run']],
    ['audit', ['audit']],
  ])('%s loads neither zod, the phone metadata nor the prompts', (_what, args) => {
    expect(modulesLoadedBy(['--db', db, ...args]).filter((url) => HEAVY.test(url))).toEqual([]);
  });

  it('a setting that is neither an e-mail nor a number loads neither library', () => {
    const loaded = modulesLoadedBy(['--db', db, 'groups', 'set', '1', '--auto-post', 'on', '--dry-run']);
    expect(loaded.some((url) => /node_modules\/(zod|libphonenumber-js)\//.test(url))).toBe(false);
  });

  it('groups delete --yes loads neither', () => {
    modulesLoadedBy(['--db', db, 'groups', 'create', 'Old Clinic']);
    expect(modulesLoadedBy(['--db', db, 'groups', 'delete', 'Old Clinic', '--yes']).filter((url) => HEAVY.test(url))).toEqual([]);
  });
});
