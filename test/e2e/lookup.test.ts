// pops lookup (SPEC §14): a patient on the phone. Search as you type, the
// account's figures and Portal explanation, its pages, another group, another
// account, quit — every path with a scripted prompter, and once in a real
// terminal. It only reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, popsBinary, storeDigest } from '../helpers/cli.js';
import { CANCEL, scriptedPrompter, type Answer } from '../helpers/scripted-prompter.js';
import { HAS_TMUX, TerminalSession } from '../helpers/tmux.js';

let demo: string;

const TERMINAL = { stdin: true, stdout: true, stderr: true, columns: 100 };

async function lookup(args: string[], answers: Record<string, Answer>) {
  const prompt = scriptedPrompter(answers);
  const before = storeDigest(demo);
  const result = await pops(['--db', demo, 'lookup', ...args], { prompt, terminal: TERMINAL, env: { NO_COLOR: '1' } });
  // It only reads.
  expect(storeDigest(demo)).toBe(before);
  return { ...result, asked: prompt.asked };
}

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  beforeAll(async () => {
    demo = await makeStore({ demo: true }, backend);
  });

  describe('pops lookup', () => {
    it('search as you type, pick, see the figures and why the portal shows what it shows, open the Pay page, quit', async () => {
      const result = await lookup([], {
        'Account number or guarantor name': { type: 'rive', pick: '10004' },
        'What next?': ['Pay page', 'Quit'],
      });
      expect(result.code).toBe(0);
      const search = result.asked.find((q) => q.kind === 'search')!;
      // "rive" matches Maria Rivera's account (the Riverbend group's name is not a guarantor's): each match shows its group,
      // its non-collection balance, then its collection balance.
      expect(search.choices).toEqual(['10004  Rivera, Maria  Lakeside Pediatrics  $153.00  coll. $240.00']);
      // The figures and the Portal explanation, as accounts show gives them
      const show = await pops(['--db', demo, 'accounts', 'show', '10004'], { terminal: TERMINAL, env: { NO_COLOR: '1' } });
      expect(result.stdout.startsWith(show.stdout)).toBe(true);
      expect(show.stdout).toContain('Portal');
      // then the Pay page, as preview gives it
      const pay = await pops(['--db', demo, 'preview', '10004', '--page', 'pay', '--width', '100']);
      expect(result.stdout).toContain(pay.stdout);
      expect(result.asked.filter((q) => q.message === 'What next?')).toHaveLength(2);
    });

    it('every page from the menu, then the account through another group, then another account', async () => {
      const result = await lookup(['10004'], {
        'What next?': [
          'Home page',
          'Account page',
          'Statements page',
          'Receipts page',
          'QuickPay screen',
          'See it through another group',
          'Pick another account',
          'Quit',
        ],
        'Through which group?': { type: 'north' },
        'Account number or guarantor name': { type: '10012' },
      });
      expect(result.code).toBe(0);
      // `lookup 10004` matches one account: no search asked for it
      expect(result.asked[0]).toMatchObject({ kind: 'select', message: 'What next?' });
      for (const page of ['home', 'account', 'statements', 'receipts']) {
        const expected = await pops(['--db', demo, 'preview', '10004', '--page', page, '--width', '100']);
        expect(result.stdout, page).toContain(expected.stdout);
      }
      expect(result.stdout).toContain((await pops(['--db', demo, 'preview', '10004', '--quickpay', '--width', '100'])).stdout);
      const through = await pops(['--db', demo, 'accounts', 'show', '10004', '--group', 'Northshore Family Medicine'], {
        terminal: TERMINAL,
        env: { NO_COLOR: '1' },
      });
      expect(result.stdout).toContain(through.stdout);
      const other = await pops(['--db', demo, 'accounts', 'show', '10012'], { terminal: TERMINAL, env: { NO_COLOR: '1' } });
      expect(result.stdout.endsWith(`${other.stdout}\n`)).toBe(true);
      const groupSearch = result.asked.find((q) => q.message === 'Through which group?')!;
      // Enter takes the first match of what was typed; the account's own group is marked, not put first.
      expect(groupSearch.choices).toEqual(['Northshore Family Medicine']);
    });

    it('text that matches several accounts: pick among them, or search again', async () => {
      const several = await lookup(['1001'], { 'Accounts matching "1001"': '10015', 'What next?': 'Quit' });
      expect(several.code).toBe(0);
      expect(several.asked[0].choices).toHaveLength(11);
      expect(several.asked[0].choices!.at(-1)).toBe('Search again');
      expect(several.stdout).toMatch(/Account +10015/);

      const again = await lookup(['1001'], {
        'Accounts matching "1001"': 'Search again',
        'Account number or guarantor name': { type: 'rivera' },
        'What next?': 'Quit',
      });
      expect(again.stdout).toMatch(/Account +10004/);
    });

    it('matches line up within the terminal, and say when there are more than shown', async () => {
      const prompt = scriptedPrompter({ 'Account number or guarantor name': { type: '' }, 'What next?': 'Quit' });
      const result = await pops(['--db', demo, 'lookup'], { prompt, terminal: { ...TERMINAL, columns: 60 }, env: { NO_COLOR: '1' } });
      expect(result.code).toBe(0);
      const choices = prompt.asked.find((q) => q.kind === 'search')!.choices!;
      expect(choices).toHaveLength(21);
      expect(choices[20]).toBe('(more than 20 match: type more of the name or number)');
      const lines = choices.slice(0, 20);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(58);
      // the balances end at the same column on every line
      expect(new Set(lines.map((line) => line.indexOf('coll.'))).size).toBe(1);
    });

    it('a group renamed by someone else while the account is seen through it: a warning, and the lookup goes on', async () => {
      const store = await makeStore({ demo: true }, backend);
      let renamed = false;
      const prompt = scriptedPrompter({ 'Through which group?': { type: 'river' } });
      const realSelect = prompt.select.bind(prompt);
      const answers = ['See it through another group', 'Home page', 'Quit'];
      prompt.select = async (message, choices, defaultValue) => {
        if (message !== 'What next?') return realSelect(message, choices, defaultValue);
        const answer = answers.shift()!;
        if (answer === 'Home page' && !renamed) {
          renamed = true;
          // another process, while this lookup waits at its menu
          expect(popsBinary(['--db', store, 'groups', 'set', 'Riverbend Orthopedics', '--name', 'Riverbend Ortho']).code).toBe(0);
        }
        return choices.find((c) => c.name === answer)!.value;
      };
      const result = await pops(['--db', store, 'lookup', '10004'], { prompt, terminal: TERMINAL, env: { NO_COLOR: '1' } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('pops: warning: no such group: "Riverbend Orthopedics": showing the account through its own group\n');
    });

    it('a name as a caller spells it, without its accents, finds it (and so does accounts list --search)', async () => {
      const result = await lookup(['nunez, siobhan'], { 'What next?': 'Quit' });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Account +10009/);
      const list = await pops(['--db', demo, 'accounts', 'list', '--search', 'NUNEZ', '--csv']);
      expect(list.stdout.split('\n')[1]).toMatch(/^10009,"O'Brien-Nuñez, Siobhán",/);
    });

    it('text that matches nothing: says so, then searches', async () => {
      const result = await lookup(['nobody-here'], { 'Account number or guarantor name': { type: '10001' }, 'What next?': 'Quit' });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('pops: warning: no account matches "nobody-here"\n');
      expect(result.stdout).toMatch(/Account +10001/);
    });

    it('Ctrl-C at any question: exit 0, nothing more said', async () => {
      const cases: [string[], Record<string, Answer>][] = [
        [[], { 'Account number or guarantor name': CANCEL }],
        [['10004'], { 'What next?': CANCEL }],
        [['10004'], { 'What next?': ['See it through another group'], 'Through which group?': CANCEL }],
      ];
      for (const [args, answers] of cases) {
        const result = await lookup(args, answers);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe('');
      }
    });

    it('without a terminal: exit 2, and what to use instead', async () => {
      const result = await pops(['--db', demo, 'lookup', 'rivera']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('pops: lookup needs a terminal\nWithout one: pops accounts list --search <text>, then pops preview <account>.\n');
    });

    it('a missing store: exit 4 as for every command', async () => {
      const result = await pops(['--db', '/nonexistent/pops.db', 'lookup'], { prompt: scriptedPrompter(), terminal: TERMINAL });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^pops: store not found/);
    });
  });

  describe.skipIf(!HAS_TMUX)('in a real terminal', () => {
    it('type a name fragment, pick, open the Pay page, quit', async () => {
      const session = new TerminalSession(['--db', demo, 'lookup'], { NO_COLOR: '1' });
      try {
        await session.waitFor('Account number or guarantor name');
        session.type('river');
        await session.waitFor(/10004 {2}Rivera, Maria/);
        session.keys('Enter');
        await session.waitFor('What next?');
        expect(session.screen()).toMatch(/Collection/);
        session.keys('Down', 'Down', 'Enter');
        await session.waitFor('Apple Pay');
        await session.waitFor('What next?');
        // the menu stays on the Pay page: up three, round to Quit
        session.keys('Up', 'Up', 'Up', 'Enter');
        expect(await session.exitCode()).toBe(0);
      } finally {
        session.close();
      }
    }, 30_000);
  });
});
