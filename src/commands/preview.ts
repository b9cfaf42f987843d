// pops preview <account> | --all --out <dir> | --all --check <dir> (SPEC §8):
// the Account page as the guarantor sees it, and snapshots of every page.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { withStore } from '../context.js';
import { buildAccountPage, showsCollectionPanel } from '../domain/account-page.js';
import type { Group } from '../domain/group-settings.js';
import { NotFoundError, UsageError } from '../errors.js';
import { MAX_WIDTH, MIN_WIDTH, renderAccountPage } from '../render/account-page.js';
import { sanitize } from '../render/sanitize.js';
import { loadAccount } from '../store/accounts.js';
import { findGroupById, resolveGroup } from '../store/groups.js';

interface PreviewOptions {
  group?: string;
  width?: string;
  all?: boolean;
  out?: string;
  check?: string;
}

const EXAMPLES = `
Examples:
  pops preview 10004
  pops preview 10004 --group "Northshore Family Medicine"
  pops preview 10004 --width 60 | less
  pops preview --all --out snapshots/
  pops preview --all --group "Lakeside Pediatrics" --check snapshots/`;

export function define(command: Command, ctx: Context): void {
  command
    .argument('[account]', 'the account number')
    .option('--group <group>', 'render through this group (name or id) instead of the account\'s own; with --all, only its accounts')
    .option('--width <n>', `page width in columns, ${MIN_WIDTH}-${MAX_WIDTH} (default: the terminal's width, else 80)`)
    .option('--all', 'every account (with --out or --check)')
    .option('--out <dir>', 'with --all: write <dir>/<group-slug>/<account>.txt for each account')
    .option('--check <dir>', 'with --all: compare with the snapshots in <dir>; exit 1 on any difference')
    .addHelpText('after', EXAMPLES)
    .action(async (account: string | undefined, options: PreviewOptions) => {
      checkCombination(account, options);
      if (account !== undefined) previewOne(ctx, account, options);
      else await previewAll(ctx, options);
    });
}

function checkCombination(account: string | undefined, options: PreviewOptions): void {
  if (options.out !== undefined && options.check !== undefined) throw new UsageError('--out and --check cannot be used together');
  if (options.all && account !== undefined) throw new UsageError('give either an account or --all, not both');
  if (!options.all && account === undefined) throw new UsageError('missing account number', 'Usage: pops preview <account>, or pops preview --all --out <dir> | --check <dir>');
  if (!options.all && (options.out !== undefined || options.check !== undefined)) {
    throw new UsageError(`${options.out !== undefined ? '--out' : '--check'} needs --all`);
  }
  if (options.all && options.out === undefined && options.check === undefined) throw new UsageError('--all needs --out <dir> or --check <dir>');
  if (options.out === '' || options.check === '') throw new UsageError('the snapshot directory must not be empty');
}

/** --width, else the terminal's width (clamped into range) on a TTY, else 80. */
function pageWidth(ctx: Context, given: string | undefined, useTerminal: boolean): number {
  if (given !== undefined) {
    const width = /^\d{1,4}$/.test(given.trim()) ? Number(given.trim()) : NaN;
    if (!(width >= MIN_WIDTH && width <= MAX_WIDTH)) throw new UsageError(`--width must be a whole number from ${MIN_WIDTH} to ${MAX_WIDTH}, got ${JSON.stringify(given)}`);
    return width;
  }
  if (useTerminal && ctx.io.stdoutIsTTY && ctx.io.columns) return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, ctx.io.columns));
  return 80;
}

function previewOne(ctx: Context, accountNumber: string, options: PreviewOptions): void {
  const width = pageWidth(ctx, options.width, true);
  const { page, group } = withStore(ctx, (db) => {
    const through = options.group !== undefined ? resolveGroup(db, options.group) : undefined;
    const record = loadAccount(db, accountNumber);
    const group: Group | undefined = through ?? findGroupById(db, record.groupId);
    if (!group) throw new NotFoundError(`account ${accountNumber} belongs to a group that does not exist (id ${record.groupId})`, 'Run `pops doctor`, or pass --group.');
    return { page: buildAccountPage(record, group), group };
  });
  if (group.accountDashboard && showsCollectionPanel(group, page.figures) && group.footerPhone === null) {
    ctx.io.warn(`group ${JSON.stringify(sanitize(group.name))} has no footer number: the Collection Balance panel tells the patient to contact the office`);
  }
  ctx.io.out(renderAccountPage(page, { width, color: ctx.io.color }));
}

async function previewAll(ctx: Context, options: PreviewOptions): Promise<void> {
  const width = pageWidth(ctx, options.width, false);
  // Loaded only here: a single page needs neither the diff library nor the batch loader.
  const { checkSnapshots, writeSnapshots } = await import('./preview-snapshots.js');
  if (options.out !== undefined) await writeSnapshots(ctx, { dir: options.out, group: options.group, width });
  else checkSnapshots(ctx, { dir: options.check!, group: options.group, width });
}
