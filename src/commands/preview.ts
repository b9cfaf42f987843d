// pops preview <account> [--page P | --quickpay] | --all --out <dir> | --all --check <dir> [--pages …]
// (docs/commands.md, docs/portal.md): a page of the portal as the guarantor
// sees it, and snapshots of every account's pages.
import { defineCommand, flag, optionalArg, valueOption } from '../shell/command.js';
import { withReadDb, type Deps } from '../shell/context.js';
import { groupRef, oneOf, path, viewList, wholeNumberIn } from '../shell/parsers.js';
import { checkSnapshots, writeSnapshots } from '../services/snapshots.js';
import { PAGE_NAMES, type PortalView } from '../domain/portal.js';
import { EXIT, UsageError } from '../base/errors.js';
import { MAX_WIDTH, MIN_WIDTH } from '../render/account-page.js';
import { accountPageText } from '../services/account-view.js';

const PAGE_PICKS = [...PAGE_NAMES, 'landing'] as const;

export default defineCommand({
  name: 'preview',
  summary: 'a page of the portal as the guarantor sees it; --all --out/--check for snapshots',
  args: [optionalArg('account', 'the account number')],
  options: {
    group: valueOption('--group <group>', "render through this group (name or id) instead of the account's own; with --all, only its accounts", groupRef),
    width: valueOption(
      '--width <n>',
      `page width in columns, ${MIN_WIDTH}-${MAX_WIDTH} (default: the terminal's width, else 80)`,
      wholeNumberIn(MIN_WIDTH, MAX_WIDTH),
    ),
    page: {
      ...valueOption('--page <page>', "the page to show (landing: the group's landing page)", oneOf(PAGE_PICKS), PAGE_PICKS),
      defaultLabel: 'account',
    },
    quickpay: flag('--quickpay', 'the QuickPay screen (Simulate QuickPay) instead of a page'),
    all: flag('--all', 'every account (with --out or --check)'),
    out: valueOption('--out <dir>', 'with --all: write <dir>/<group-slug>/<account>[.<page>].txt for each account', path),
    check: valueOption('--check <dir>', 'with --all: compare with the snapshots in <dir>; exit 1 on any difference', path),
    pages: {
      ...valueOption('--pages <list>', 'with --all: the pages to snapshot, comma-separated, or all (the five pages and quickpay)', viewList),
      defaultLabel: 'account',
    },
  },
  examples: [
    'pops preview 10004',
    'pops preview 10004 --group "Northshore Family Medicine"',
    'pops preview 10004 --page pay',
    'pops preview 10004 --quickpay',
    'pops preview 10004 --width 60 | less',
    'pops preview --all --out snapshots/',
    'pops preview --all --group "Lakeside Pediatrics" --check snapshots/',
    'pops preview --all --pages all --out snapshots/',
  ],
  check(opts) {
    if (opts.quickpay && opts.page !== undefined)
      throw new UsageError('--quickpay and --page cannot be used together', 'QuickPay is a screen of its own, not a page.');
    if (opts.all && (opts.page !== undefined || opts.quickpay))
      throw new UsageError(`${opts.quickpay ? '--quickpay' : '--page'} shows one account; with --all use --pages`);
    if (!opts.all && opts.pages !== undefined) throw new UsageError('--pages needs --all');
    if (opts.out !== undefined && opts.check !== undefined) throw new UsageError('--out and --check cannot be used together');
    if (opts.all && opts.account !== undefined) throw new UsageError('give either an account or --all, not both');
    if (!opts.all && opts.account === undefined)
      throw new UsageError('missing account number', 'Usage: pops preview <account>, or pops preview --all --out <dir> | --check <dir>');
    if (!opts.all && (opts.out !== undefined || opts.check !== undefined)) throw new UsageError(`${opts.out !== undefined ? '--out' : '--check'} needs --all`);
    if (opts.all && opts.out === undefined && opts.check === undefined) throw new UsageError('--all needs --out <dir> or --check <dir>');
  },
  async run(opts, deps) {
    if (opts.account !== undefined) return previewOne(deps, opts.account, { ...opts, view: opts.quickpay ? 'quickpay' : (opts.page ?? 'account') });
    const width = opts.width ?? 80;
    const views = opts.pages ?? ['account'];
    const env = { io: deps.io, dbPath: deps.dbPath, dbFrom: deps.dbFrom, busyTimeoutMs: deps.busyTimeoutMs };
    if (opts.out !== undefined) await writeSnapshots(env, { dir: opts.out, group: opts.group, width, views });
    else if (await checkSnapshots(env, { dir: opts.check!, group: opts.group, width, views })) deps.exitCode = EXIT.differences;
  },
});

/** --width, else the terminal's width (clamped into range) on a TTY, else 80. */
function pageWidth(deps: Deps, given: number | undefined): number {
  if (given !== undefined) return given;
  if (deps.io.stdoutIsTTY && deps.io.columns) return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, deps.io.columns));
  return 80;
}

function previewOne(deps: Deps, accountNumber: string, options: { group?: string; width?: number; view: PortalView | 'landing' }): void {
  const width = pageWidth(deps, options.width);
  const { text, warnings } = withReadDb(deps, (db) =>
    accountPageText(db, accountNumber, { group: options.group, width, view: options.view, color: deps.io.color, colorLevel: deps.io.colorLevel }),
  );
  for (const warning of warnings) deps.io.warn(warning);
  deps.io.out(text);
}
