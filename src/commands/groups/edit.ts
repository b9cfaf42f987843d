// pops groups edit <group>: a prompt per setting (current value as default,
// validated as typed), then a summary and "Apply these changes?".
import { diffGroup, type WantedSettings } from '../../domain/group-changes.js';
import { GROUP_SETTINGS, type SettingDef, type SettingValue } from '../../domain/group-settings.js';
import { parseSettingText } from '../../domain/group-validate.js';
import { kindOf } from '../../domain/setting-kinds.js';
import { CancelledError, NotFoundError, StoreError, UsageError } from '../../base/errors.js';
import { arg, defineCommand } from '../../shell/command.js';
import { withDb, type Deps } from '../../shell/context.js';
import { quoteName, runGroupPlan, warnIfCollectionsWithoutNumber, warnIfNoFooterNumber } from '../../shell/group-plan.js';
import { groupRef } from '../../shell/parsers.js';
import { findGroupById, resolveGroup } from '../../store/groups.js';
import { changeLine } from '../../render/group-values.js';

export default defineCommand({
  name: 'edit',
  summary: "change a group's settings interactively (needs a terminal)",
  args: [arg('group', 'the group: its name (any case) or its id', groupRef)],
  options: {},
  notes: 'Needs a terminal; in scripts use `pops groups set`.',
  examples: ['pops groups edit "Lakeside Pediatrics"', 'pops groups edit 2'],
  async run(opts, deps) {
    if (!deps.io.interactive) {
      throw new UsageError(
        'groups edit asks questions and needs a terminal (stdin and stdout)',
        'In scripts, use `pops groups set <group> --<setting> <value>` instead; see `pops groups set --help`.',
      );
    }
    const group = withDb(deps, (db) => resolveGroup(db, opts.group));
    deps.io.err(`pops: editing group ${quoteName(group.name)} (id ${group.id}): Enter keeps a value; Backspace, Enter clears an optional one\n`);

    const wanted: WantedSettings = {};
    for (const setting of GROUP_SETTINGS) wanted[setting.key] = await ask(deps, setting, group[setting.key]);
    const changes = diffGroup(group, wanted);
    if (changes.length === 0) {
      deps.io.out('no changes\n');
      warnIfCollectionsWithoutNumber(deps, group.name, group);
      return;
    }
    for (const change of changes) deps.io.out(`${changeLine(change)}\n`);
    if (!(await deps.prompt.confirm('Apply these changes?', false))) throw new CancelledError('not applied: nothing was changed');

    // Only what was changed in the prompts is written, against the group as it
    // is now: a setting someone else changed meanwhile is not reverted; one the
    // user changed too is not overwritten unseen (the summary showed its old value).
    const changedOnly = Object.fromEntries(changes.map((c) => [c.field, c.to])) as WantedSettings;
    const plan = runGroupPlan(deps, false, (db) => {
      const current = findGroupById(db, group.id);
      if (!current) throw new NotFoundError(`no such group: ${quoteName(group.name)} (it was deleted meanwhile)`);
      const clash = changes.find((c) => current[c.field] !== group[c.field]);
      if (clash) {
        const now = diffGroup(group, { [clash.field]: current[clash.field] } as WantedSettings)[0];
        throw new StoreError(
          `group ${quoteName(current.name)} was changed by someone else while you were editing it (${changeLine(now)}); nothing was written`,
          'Run pops groups edit again to see its settings as they are now.',
        );
      }
      return { group: current, changes: diffGroup(current, changedOnly) };
    });
    const count = plan.changes.length;
    deps.io.err(`pops: updated group ${quoteName(plan.group.name)} (${count} change${count === 1 ? '' : 's'})\n`);
    warnIfNoFooterNumber(deps, plan);
  },
});

/** One prompt, labelled with the setting's name in words; resolves to the setting's new value. */
async function ask(deps: Deps, setting: SettingDef, current: SettingValue): Promise<SettingValue> {
  const kind = kindOf(setting);
  if (kind.prompt === 'select') {
    // The words of the setting, each standing for the value its kind parses it to.
    const choices = (kind.words?.(setting) ?? []).map((word) => {
      const parsed = kind.parseText(setting, word);
      return { name: word, value: parsed.ok ? parsed.value : word };
    });
    return deps.prompt.select(setting.label, choices, current);
  }
  // Text settings: the current value, as its kind offers it for editing, is
  // the default; accepting it unchanged keeps the stored value as it is.
  const shown = current === null ? undefined : kind.editText(current);
  const typed = await deps.prompt.input(setting.label, {
    defaultValue: shown,
    validate: (text) => {
      if (text === shown) return true;
      const parsed = parseSettingText(setting, text);
      return parsed.ok ? true : parsed.message;
    },
  });
  if (typed === shown) return current;
  const parsed = parseSettingText(setting, typed);
  if (!parsed.ok) throw new UsageError(`${setting.label}: ${parsed.message}`);
  return parsed.value;
}
