// Planning changes to groups: what differs between a group and the settings
// asked for. Used by `groups set`, `collections`, `footer-number`, `edit` and
// the bulk `apply` planner, and recorded in the audit log as it is.
import { GROUP_SETTINGS, type GroupSettingKey, type PartialGroup, type SettingValue } from './group-settings.js';

export interface FieldChange {
  /** A setting's key, or `name` for a rename. */
  field: GroupSettingKey | 'name';
  from: SettingValue;
  to: SettingValue;
}

export type WantedSettings = Partial<Record<GroupSettingKey, SettingValue>>;

/**
 * The changes, in catalogue order (rename first), that turn `group` into what
 * is wanted. `group` must hold every setting that `wanted` names.
 */
export function diffGroup(group: PartialGroup, wanted: WantedSettings, newName?: string): FieldChange[] {
  const changes: FieldChange[] = [];
  if (newName !== undefined && newName !== group.name) changes.push({ field: 'name', from: group.name, to: newName });
  for (const setting of GROUP_SETTINGS) {
    if (!(setting.key in wanted)) continue;
    const to = wanted[setting.key] as SettingValue;
    const from = group[setting.key];
    if (from === undefined) throw new Error(`diffGroup: setting ${setting.key} of group ${group.id} was not loaded`);
    if (to !== from) changes.push({ field: setting.key, from, to });
  }
  return changes;
}
