// Shell completion (SPEC §14, docs/completion.md): what `pops __complete`
// offers, worked out from the command tree and the store, and the real
// shells completing with the scripts `pops completion <shell>` prints.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TREE } from '../../src/cli.js';
import { isCommandGroup, type CommandSpec } from '../../src/shell/command.js';
import { makeStore, pops, tempDir } from '../helpers/cli.js';
import { pgUrl } from '../helpers/postgres.js';
import { generateDump } from '../helpers/account-generator.js';
import { HAS_TMUX, TerminalSession, installed } from '../helpers/tmux.js';

let demo: string;
beforeAll(async () => {
  demo = await makeStore({ demo: true });
});

/** What `pops __complete <shell>` prints for the words after `pops` (the last being typed). */
async function offered(shell: 'zsh' | 'fish', words: string[], env: Record<string, string> = {}): Promise<string[]> {
  const quote = (word: string) => (/^[A-Za-z0-9_./=-]+$/.test(word) ? word : `'${word}'`);
  const line = ['pops', ...words.slice(0, -1).map(quote), words[words.length - 1]].join(' ');
  const result = await pops(['__complete', shell, '--line', line], { env: { POPS_DB: demo, ...env } });
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

async function offeredBash(line: string, env: Record<string, string> = {}): Promise<string[]> {
  const result = await pops(['__complete', 'bash', '--line', line, '--point', String(line.length)], { env: { POPS_DB: demo, ...env } });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return result.stdout.split('\n').filter(Boolean);
}

const commands = (): { path: string[]; spec: CommandSpec }[] =>
  COMMAND_TREE.flatMap((entry) =>
    isCommandGroup(entry) ? entry.subcommands.map((spec) => ({ path: [entry.name, spec.name], spec })) : [{ path: [entry.name], spec: entry }],
  );

describe('from the command tree', () => {
  it("the commands, then a group's sub-commands", async () => {
    expect(await offered('zsh', [''])).toEqual([...COMMAND_TREE.map((e) => e.name), 'help']);
    expect(await offered('zsh', ['gr'])).toEqual(['groups']);
    const groups = COMMAND_TREE.find((e) => e.name === 'groups');
    expect(await offered('zsh', ['groups', ''])).toEqual(isCommandGroup(groups!) ? groups.subcommands.map((s) => s.name) : []);
  });

  it('every option of every command, and the global ones', async () => {
    for (const { path: words, spec } of commands()) {
      const options = await offered('zsh', [...words, '--']);
      for (const option of Object.values(spec.options)) expect(options, words.join(' ')).toContain(/--[a-z0-9-]+/.exec(option.flags)![0]);
      expect(options).toEqual(expect.arrayContaining(['--db', '--actor', '--no-color', '--help']));
    }
  });

  it('the words an option or argument takes: on/off, landing pages, logout functions, pages, shells', async () => {
    expect(await offered('zsh', ['groups', 'collections', 'X', ''])).toEqual(['on', 'off']);
    expect(await offered('zsh', ['groups', 'set', 'X', '--landing-page', ''])).toEqual(['home', 'account', 'pay']);
    expect(await offered('zsh', ['groups', 'set', 'X', '--logout-function', ''])).toEqual(['close', 'logout', 'none']);
    expect(await offered('zsh', ['groups', 'create', 'X', '--show-collections', 'o'])).toEqual(['on', 'off']);
    expect(await offered('zsh', ['preview', '10004', '--page', 'p'])).toEqual(['pay']);
    expect(await offered('zsh', ['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    // fish shows each word's description after a tab
    expect(await offered('fish', ['groups', 'set', 'X', '--json'])).toEqual([]);
    expect((await offered('fish', ['acc']))[0]).toMatch(/^accounts\t.+/);
  });

  it('file names are left to the shell; free text gets nothing', async () => {
    expect(await offered('zsh', ['import', ''])).toEqual([':files']);
    expect(await offered('zsh', ['export', '--out', ''])).toEqual([':files']);
    expect(await offered('zsh', ['accounts', 'list', '--search', ''])).toEqual([]);
    expect(await offered('zsh', ['nope', ''])).toEqual([]);
  });

  it('bash: option=value completes the value only (bash replaces what follows the =)', async () => {
    expect(await offeredBash('pops groups set X --landing-page=p')).toEqual(['pay']);
    expect(await offeredBash('pops preview 10004 --pa')).toEqual(['--page', '--pages']);
  });
});

describe('from the store', () => {
  it('group names, quoted for bash and zsh when they hold a space (fish quotes for itself)', async () => {
    expect(await offeredBash('pops groups set Lak')).toEqual(['"Lakeside Pediatrics"']);
    // after an opening quote, the names come plain, for the shell to finish inside that quote
    expect(await offeredBash('pops groups set "nor')).toEqual([':raw', 'Northshore Family Medicine']);
    const zshQuoted = await pops(['__complete', 'zsh', '--line', 'pops groups set nor', '--quoted'], { env: { POPS_DB: demo } });
    expect(zshQuoted.stdout).toBe(':raw\nNorthshore Family Medicine\n');
    expect(await offered('zsh', ['preview', '10004', '--group', ''])).toEqual([
      '"Lakeside Pediatrics"',
      '"Northshore Family Medicine"',
      '"Riverbend Orthopedics"',
    ]);
    expect(await offered('fish', ['groups', 'show', 'riv'])).toEqual(['Riverbend Orthopedics']);
  });

  it('a name with a ! (which an interactive shell expands inside double quotes) in single quotes', async () => {
    const store = await makeStore({ dump: { format: 'pops-dump', version: 1, groups: [{ name: "Wow! O'Brien Care" }] } });
    expect(await offeredBash('pops groups show W', { POPS_DB: store })).toEqual([`'Wow! O'\\''Brien Care'`]);
  });

  it('more account numbers than are offered: none, so that the shell inserts nothing not typed', async () => {
    const store = await makeStore({ dump: generateDump(20261203, 400) });
    expect(await offered('zsh', ['preview', ''], { POPS_DB: store })).toEqual([]);
    const some = await offered('zsh', ['preview', 'Z'], { POPS_DB: store });
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThanOrEqual(200);
  });

  it("help: commands and topics, then a group's sub-commands; lookup: account numbers; the version at the top", async () => {
    expect(await offered('zsh', ['help', ''])).toEqual([...COMMAND_TREE.map((e) => e.name), 'formats', 'balances', 'exit-codes']);
    expect(await offered('zsh', ['help', 'accounts', ''])).toEqual(['list', 'show']);
    expect(await offered('zsh', ['lookup', '1003'])).toEqual(['10030', '10031', '10032', '10033', '10034', '10035', '10036']);
    expect(await offered('zsh', ['--ver'])).toEqual(['--version']);
  });

  it('--db as ~/… or $HOME/…, as the shell will expand it', async () => {
    const home = path.dirname(demo);
    const name = path.basename(demo);
    for (const db of [`~/${name}`, `$HOME/${name}`, `\${HOME}/${name}`]) {
      const result = await pops(['__complete', 'zsh', '--line', `pops --db ${db} groups show L`], { env: { HOME: home } });
      expect(result.stdout, db).toBe('"Lakeside Pediatrics"\n');
    }
  });

  it('account numbers that begin with what is typed', async () => {
    expect(await offered('zsh', ['preview', '1000'])).toEqual(['10001', '10002', '10003', '10004', '10005', '10006', '10007', '10008', '10009']);
    expect(await offered('zsh', ['accounts', 'show', '10036'])).toEqual(['10036']);
    expect(await offered('zsh', ['accounts', 'show', '9'])).toEqual([]);
  });

  it('the store of --db on the line, else of POPS_DB on the line, else of the environment', async () => {
    const empty = await makeStore();
    // zsh and fish hand over the whole line (bash leaves assignments out of it: docs/completion.md)
    expect(await offered('zsh', ['groups', 'show', 'L'])).toEqual(['"Lakeside Pediatrics"']);
    const line = async (text: string, env: Record<string, string>) => (await pops(['__complete', 'zsh', '--line', text], { env })).stdout;
    expect(await line(`cd /tmp && POPS_DB=${demo} pops groups show L`, { POPS_DB: empty })).toBe('"Lakeside Pediatrics"\n');
    expect(await line(`POPS_DB=${empty} pops groups show L`, { POPS_DB: demo })).toBe('');
    expect(await offered('zsh', ['--db', empty, 'groups', 'show', ''])).toEqual([]);
    expect(await offered('zsh', ['groups', 'show', '--db', demo, 'L'], { POPS_DB: empty })).toEqual(['"Lakeside Pediatrics"']);
    expect(await offeredBash(`pops --db=${demo} groups show L`, { POPS_DB: empty })).toEqual(['"Lakeside Pediatrics"']);
  });

  it('a missing store, a newer one, or not a store at all: nothing offered, nothing said, exit 0', async () => {
    const folder = tempDir();
    const newer = path.join(folder, 'newer.db');
    fs.copyFileSync(demo, newer);
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    const garbage = path.join(folder, 'garbage.db');
    fs.writeFileSync(garbage, 'not a database at all, just text that is long enough to look like a header');
    for (const store of [path.join(folder, 'missing.db'), newer, garbage]) {
      const before = fs.existsSync(store) ? fs.readFileSync(store) : undefined;
      expect(await offered('zsh', ['groups', 'set', ''], { POPS_DB: store })).toEqual([]);
      expect(await offered('zsh', ['preview', ''], { POPS_DB: store })).toEqual([]);
      // read only: nothing created, migrated or changed
      expect(fs.existsSync(store) ? fs.readFileSync(store) : undefined).toEqual(before);
    }
  });

  it('a busy store (a writer holds it exclusively) offers nothing, quickly', async () => {
    const store = await makeStore({ demo: true });
    const holder = new Database(store);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE; UPDATE groups SET name = name; ');
    try {
      const started = Date.now();
      expect(await offered('zsh', ['groups', 'set', ''], { POPS_DB: store })).toEqual([]);
      // The wait for the lock is bounded (docs/completion.md): far from the 5 s a command waits.
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('pops completion <shell>', () => {
  it.each([
    ['bash', /\ncomplete -F _pops_complete pops\n/],
    ['zsh', /^#compdef pops/],
    ['fish', /complete -c pops -f -a '\(__pops_complete\)'/],
  ])('%s: a script that asks pops on every Tab', async (shell, shape) => {
    const result = await pops(['completion', shell]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(shape);
    expect(result.stdout).toContain(`pops __complete ${shell}`);
  });

  it('an unknown shell: exit 2 naming the three', async () => {
    const result = await pops(['completion', 'powershell']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pops: .*bash, zsh, fish.*"powershell"/);
  });
});

// The real shells, in a real terminal: typing and pressing Tab. CI installs zsh and fish (.ci/run);
// where a shell is missing its test is reported as skipped, by name.
const SHELL_RUNS = [
  {
    shell: 'bash',
    program: ['bash', '--norc', '--noprofile', '-i'],
    setup: 'source <(pops completion bash); echo ready-$((6*7))',
    quoted: '"Lakeside Pediatrics"',
  },
  {
    shell: 'zsh',
    program: ['zsh', '-f', '-i'],
    setup: 'autoload -Uz compinit && compinit -u && source <(pops completion zsh); echo ready-$((6*7))',
    quoted: '"Lakeside Pediatrics"',
  },
  { shell: 'fish', program: ['fish', '--no-config'], setup: 'pops completion fish | source; echo ready-(math 6 \\* 7)', quoted: 'Lakeside\\ Pediatrics' },
] as const;

describe.each(SHELL_RUNS)('in a real $shell', ({ shell, program, setup, quoted }) => {
  const available = HAS_TMUX && installed(shell);
  let session: TerminalSession;
  let home: string;
  beforeAll(() => {
    if (!available) return;
    home = tempDir('pops-home-');
    session = new TerminalSession([], { HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, POPS_DB: demo }, [...program]);
  });
  afterAll(() => session?.close());

  const line = (screen: string) =>
    screen
      .split('\n')
      .filter((l) => l.includes('pops '))
      .pop() ?? '';
  async function typed(text: string, wait: RegExp | string, tabs = 1): Promise<string> {
    session.keys('C-u');
    session.type(text);
    for (let i = 0; i < tabs; i += 1) session.keys('Tab');
    return session.waitFor(wait);
  }

  it.skipIf(!available)(
    `${shell}: a group name, a setting's words, and a missing store completing nothing`,
    async () => {
      session.type(setup);
      session.keys('Enter');
      await session.waitFor('ready-42');
      expect(line(await typed('pops groups set Lak', quoted))).toContain(`pops groups set ${quoted}`);
      if (shell !== 'fish') {
        // an opening quote typed first: the shell finishes the name inside it
        session.keys('C-u');
        session.type('pops groups set "Lakes');
        session.keys('Tab');
        await session.waitFor('"Lakeside Pediatrics"');
        expect(line(session.screen())).not.toContain('""');
      }
      // bash lists the choices on a second Tab
      const words = await typed('pops groups set x --landing-page ', /account\s+home\s+pay/, shell === 'bash' ? 2 : 1);
      expect(words).toMatch(/account\s+home\s+pay/);
      session.keys('C-u');
      session.type(`pops --db ${path.join(home, 'missing.db')} groups set Lak`);
      session.keys('Tab');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const screen = session.screen();
      expect(screen).toContain('missing.db groups set Lak');
      expect(screen).not.toContain('Lakeside');
      expect(screen).not.toMatch(/pops: |store not found|Error/);
    },
    30_000,
  );
});

describe('completion from a PostgreSQL store', () => {
  it('offers the same group names and account numbers as from a store file', async () => {
    const pg = await makeStore({ demo: true }, 'postgres');
    const names = await offeredBash('pops groups set Lak');
    expect(names).toEqual(['"Lakeside Pediatrics"']);
    expect(await offeredBash('pops groups set Lak', { POPS_DB: pg })).toEqual(names);
    const numbers = await offered('zsh', ['preview', '1000']);
    expect(numbers.length).toBeGreaterThan(5);
    expect(await offered('zsh', ['preview', '1000'], { POPS_DB: pg })).toEqual(numbers);
  });

  it('a server that cannot be reached, or refuses the login: nothing offered, nothing said', async () => {
    const pg = await makeStore({ demo: true }, 'postgres');
    expect(await offeredBash('pops groups set Lak', { POPS_DB: 'postgres://pops@127.0.0.1:1/pops' })).toEqual([]);
    expect(await offeredBash('pops groups set Lak', { POPS_DB: pgUrl(pg, { password: 'not-the-password' }) })).toEqual([]);
  });
});
