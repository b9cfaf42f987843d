// pops preview <account> | --all --out <dir> | --all --check <dir>
// (docs/commands.md):
// the Account page as the guarantor sees it, and snapshots of every page.
import { defineCommand, flag, optionalArg, valueOption } from '../shell/command.js';
import { withReadTransaction, type Deps } from '../shell/context.js';
import { groupRef, path, wholeNumberIn } from '../shell/parsers.js';
import { checkSnapshots, writeSnapshots } from '../services/snapshots.js';
import { buildAccountPage, showsCollectionPanel } from '../domain/account-page.js';
import type { Group } from '../domain/group-settings.js';
import { EXIT, StoreError, UsageError } from '../base/errors.js';
import { MAX_WIDTH, MIN_WIDTH, renderAccountPage } from '../render/account-page.js';
import { sanitize } from '../base/sanitize.js';
import { loadAccount } from '../store/accounts.js';
import { findGroupById, resolveGroup } from '../store/groups.js';

export default defineCommand({
  name: 'preview',
  summary: 'the Account page as the guarantor sees it; --all --out/--check for snapshots',
  args: [optionalArg('account', 'the account number')],
  options: {
    group: valueOption('--group <group>', "render through this group (name or id) instead of the account's own; with --all, only its accounts", groupRef),
    width: valueOption(
      '--width <n>',
      `page width in columns, ${MIN_WIDTH}-${MAX_WIDTH} (default: the terminal's width, else 80)`,
      wholeNumberIn(MIN_WIDTH, MAX_WIDTH),
    ),
    all: flag('--all', 'every account (with --out or --check)'),
    out: valueOption('--out <dir>', 'with --all: write <dir>/<group-slug>/<account>.txt for each account', path),
    check: valueOption('--check <dir>', 'with --all: compare with the snapshots in <dir>; exit 1 on any difference', path),
  },
  examples: [
    'pops preview 10004',
    'pops preview 10004 --group "Northshore Family Medicine"',
    'pops preview 10004 --width 60 | less',
    'pops preview --all --out snapshots/',
    'pops preview --all --group "Lakeside Pediatrics" --check snapshots/',
  ],
  check(opts) {
    if (opts.out !== undefined && opts.check !== undefined) throw new UsageError('--out and --check cannot be used together');
    if (opts.all && opts.account !== undefined) throw new UsageError('give either an account or --all, not both');
    if (!opts.all && opts.account === undefined)
      throw new UsageError('missing account number', 'Usage: pops preview <account>, or pops preview --all --out <dir> | --check <dir>');
    if (!opts.all && (opts.out !== undefined || opts.check !== undefined)) throw new UsageError(`${opts.out !== undefined ? '--out' : '--check'} needs --all`);
    if (opts.all && opts.out === undefined && opts.check === undefined) throw new UsageError('--all needs --out <dir> or --check <dir>');
  },
  async run(opts, deps) {
    if (opts.account !== undefined) return previewOne(deps, opts.account, opts);
    const width = opts.width ?? 80;
    const env = { io: deps.io, dbPath: deps.dbPath, busyTimeoutMs: deps.busyTimeoutMs };
    if (opts.out !== undefined) await writeSnapshots(env, { dir: opts.out, group: opts.group, width });
    else if (await checkSnapshots(env, { dir: opts.check!, group: opts.group, width })) deps.exitCode = EXIT.differences;
  },
});

/** --width, else the terminal's width (clamped into range) on a TTY, else 80. */
function pageWidth(deps: Deps, given: number | undefined): number {
  if (given !== undefined) return given;
  if (deps.io.stdoutIsTTY && deps.io.columns) return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, deps.io.columns));
  return 80;
}

function previewOne(deps: Deps, accountNumber: string, options: { group?: string; width?: number }): void {
  const width = pageWidth(deps, options.width);
  const { page, group } = withReadTransaction(deps, (db) => {
    const through = options.group !== undefined ? resolveGroup(db, options.group) : undefined;
    const record = loadAccount(db, accountNumber);
    const group: Group | undefined = through ?? findGroupById(db, record.groupId);
    if (!group) {
      // An inconsistent store (docs/store.md): the page depends on the group's settings.
      throw new StoreError(
        `account ${accountNumber} belongs to a group that does not exist (id ${record.groupId}): the store is inconsistent`,
        'Run `pops doctor` to list every problem, or pass --group <group> to see the page through another group.',
      );
    }
    return { page: buildAccountPage(record, group), group };
  });
  if (group.accountDashboard && showsCollectionPanel(group, page.figures) && group.footerPhone === null) {
    deps.io.warn(`group ${JSON.stringify(sanitize(group.name))} has no footer number: the Collection Balance panel tells the patient to contact the office`);
  }
  deps.io.out(renderAccountPage(page, { width, color: deps.io.color }));
}
