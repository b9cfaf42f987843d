// pops groups edit <group>: a prompt per setting (current value as default,
// validated as typed), then a summary and "Apply these changes?" (SPEC §6).
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { diffGroup, type WantedSettings } from '../../domain/group-changes.js';
import { GROUP_SETTINGS, type SettingDef, type SettingValue } from '../../domain/group-settings.js';
import { parseSettingText } from '../../domain/group-validate.js';
import { formatPhone } from '../../domain/phone-format.js';
import { CancelledError, NotFoundError, UsageError } from '../../errors.js';
import { findGroupById, resolveGroup } from '../../store/groups.js';
import { changeLine } from '../../render/group-values.js';
import { sanitize } from '../../render/sanitize.js';
import { quoteName, runGroupPlan, warnIfNoFooterNumber } from './change-plan.js';
import { answer, loadPrompts, promptStreams, type Prompts } from './prompts.js';

export function define(command: Command, ctx: Context): void {
  command
    .argument('<group>', 'the group: its name (any case) or its id')
    .addHelpText('after', '\nExamples:\n  pops groups edit "Lakeside Pediatrics"\n  pops groups edit 2\n\nNeeds a terminal; in scripts use `pops groups set`.')
    .action(async (group: string) => run(ctx, group));
}

export async function run(ctx: Context, groupName: string): Promise<void> {
  if (!ctx.io.interactive) {
    throw new UsageError('groups edit asks questions and needs a terminal (stdin and stdout)', 'In scripts, use `pops groups set <group> --<setting> <value>` instead; see `pops groups set --help`.');
  }
  const group = withStore(ctx, (db) => resolveGroup(db, groupName));
  const prompts = await loadPrompts();
  ctx.io.err(
    `pops: editing group ${quoteName(group.name)} (id ${group.id}): Enter keeps a value; Backspace, Enter clears an optional one\n`,
  );

  const wanted: WantedSettings = {};
  for (const setting of GROUP_SETTINGS) {
    wanted[setting.key] = await ask(ctx, prompts, setting, group[setting.key]);
  }
  const changes = diffGroup(group, wanted);
  if (changes.length === 0) {
    ctx.io.out('no changes\n');
    return;
  }
  for (const change of changes) ctx.io.out(`${changeLine(change)}\n`);
  const confirmed = await answer(prompts.confirm({ message: 'Apply these changes?', default: false }, promptStreams(ctx)));
  if (!confirmed) throw new CancelledError('not applied: nothing was changed');

  // Only what was changed in the prompts is written, against the group as it
  // is now: a setting someone else changed meanwhile is not reverted.
  const changedOnly = Object.fromEntries(changes.map((c) => [c.field, c.to])) as WantedSettings;
  const plan = runGroupPlan(ctx, false, (db) => {
    const current = findGroupById(db, group.id);
    if (!current) throw new NotFoundError(`no such group: ${quoteName(group.name)} (it was deleted meanwhile)`);
    return { group: current, changes: diffGroup(current, changedOnly) };
  });
  const count = plan.changes.length;
  ctx.io.err(`pops: updated group ${quoteName(plan.group.name)} (${count} change${count === 1 ? '' : 's'})\n`);
  warnIfNoFooterNumber(ctx, plan);
}

/** One prompt, labelled with the setting's name in words; resolves to the setting's new value. */
async function ask(ctx: Context, prompts: Prompts, setting: SettingDef, current: SettingValue): Promise<SettingValue> {
  const streams = promptStreams(ctx);
  if (setting.kind === 'bool') {
    const choices = [
      { name: 'on', value: true },
      { name: 'off', value: false },
    ];
    return answer(prompts.select({ message: setting.label, choices, default: current as boolean }, streams));
  }
  if (setting.kind === 'landingPage') {
    const choices = [
      { name: 'home', value: 'home' },
      { name: 'account', value: 'account' },
    ];
    return answer(prompts.select({ message: setting.label, choices, default: current as string }, streams));
  }
  // Text settings: the current value, as it reads on screen, is the default;
  // accepting it unchanged keeps the stored value as it is.
  const shown = current === null ? undefined : setting.kind === 'phone' ? formatPhone(current as string) : sanitize(current as string);
  const typed = await answer(
    prompts.input(
      {
        message: setting.label,
        default: shown,
        validate: (text: string) => {
          if (text === shown) return true;
          const parsed = parseSettingText(setting, text);
          return parsed.ok ? true : parsed.message;
        },
      },
      streams,
    ),
  );
  if (typed === shown) return current;
  const parsed = parseSettingText(setting, typed);
  if (!parsed.ok) throw new UsageError(`${setting.label}: ${parsed.message}`);
  return parsed.value;
}
