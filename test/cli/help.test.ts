// Help is the same however it is asked for, and every page lists the global
// options (docs/commands.md is generated from the same pages).
import { describe, expect, it } from 'vitest';
import { COMMAND_TREE } from '../../src/cli.js';
import { commandPaths } from '../../src/shell/reference.js';
import { pops as popsInProcess } from '../helpers/cli.js';

const paths = commandPaths(COMMAND_TREE);

describe('pops help <command> [<subcommand>]', () => {
  it('covers every command of the tree', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['groups set', 'groups apply', 'accounts list', 'preview', 'init']));
    expect(paths.length).toBeGreaterThanOrEqual(20);
  });

  it.each(paths.map((p) => [p.join(' '), p]))('pops help %s equals --help, word for word', async (_name, path) => {
    const viaHelp = await popsInProcess(['help', ...path]);
    const viaFlag = await popsInProcess([...path, '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stderr).toBe('');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: pops ${path.join(' ')} `));
  });

  it.each(paths.map((p) => [p.join(' '), p]))('the page of %s lists the global options', async (_name, path) => {
    const { stdout } = await popsInProcess([...path, '--help']);
    const globals = stdout.slice(stdout.indexOf('Global Options:'));
    expect(stdout).toContain('Global Options:');
    for (const option of ['--db <path>', '--actor <name>', '--no-color']) expect(globals).toContain(option);
  });

  it('a command page lists its arguments, options and examples', async () => {
    const { stdout } = await popsInProcess(['help', 'preview']);
    expect(stdout).toContain('Arguments:\n  account');
    for (const option of ['--group <group>', '--width <n>', '--all', '--out <dir>', '--check <dir>']) expect(stdout).toContain(option);
    expect(stdout).toContain('Examples:\n  pops preview 10004\n');
  });

  it('the program page lists the commands and the help topics', async () => {
    const { stdout, code } = await popsInProcess(['help']);
    expect(code).toBe(0);
    expect(stdout).toBe((await popsInProcess(['--help'])).stdout);
    expect(stdout).toMatch(/^ {2}groups +list, show, create/m);
    expect(stdout).toContain('Topics: formats, balances, exit-codes');
  });

  it.each([
    ['formats', /E\.164/],
    ['balances', /collection balance is never payable online/],
    ['exit-codes', /^4 +the store cannot be used/m],
  ])('pops help %s prints the topic', async (topic, content) => {
    const result = await popsInProcess(['help', topic]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(content);
  });

  it('pops help help and pops help --help are the program page', async () => {
    const program = (await popsInProcess(['--help'])).stdout;
    expect((await popsInProcess(['help', 'help'])).stdout).toBe(program);
    expect((await popsInProcess(['help', '--help'])).stdout).toBe(program);
  });

  it('help shows the default of an option that has one', async () => {
    expect((await popsInProcess(['help', 'accounts', 'list'])).stdout).toMatch(/--sort <key>[^]*\(default: account\)/);
    expect((await popsInProcess(['help', 'groups', 'export'])).stdout).toMatch(/--format <format>[^]*\(default: json\)/);
  });

  it('too many arguments (a name with spaces typed without quotes): exit 2 with a hint to quote it', async () => {
    const result = await popsInProcess(['groups', 'show', 'Lakeside', 'Pediatrics']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `pops: too many arguments for 'show'. Expected 1 argument but got 2.\nA name with spaces goes in quotes, e.g. "Lakeside Pediatrics".\n`,
    );
  });

  it('an unknown command or topic: exit 2 with the list of topics', async () => {
    const result = await popsInProcess(['help', 'groups', 'frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'pops: no such command or topic: groups frobnicate\nCommands are listed by pops --help; topics: formats, balances, exit-codes.\n',
    );
  });
});
