// Writing planned group changes together with their audit rows: the one path
// every group-changing command takes, so no change escapes the audit log.
import type { DB } from './open.js';
import type { AuditBatch } from './audit.js';
import type { FieldChange } from '../domain/group-changes.js';
import type { GroupSettingKey, GroupSettings, SettingValue } from '../domain/group-settings.js';
import { deleteGroup, insertGroup, renameGroup, updateGroupSettings } from './groups.js';

/** Apply `changes` to the group (its current name is `name`) and audit each one. Call inside a transaction. */
export function writeGroupChanges(db: DB, audit: AuditBatch, group: { id: number; name: string }, changes: readonly FieldChange[]): void {
  let currentName = group.name;
  const settings: Partial<Record<GroupSettingKey, SettingValue>> = {};
  for (const change of changes) {
    if (change.field === 'name') {
      renameGroup(db, group.id, change.to as string);
      audit.record({ action: 'rename', groupId: group.id, group: currentName, field: 'name', from: change.from, to: change.to });
      currentName = change.to as string;
    } else {
      settings[change.field] = change.to;
    }
  }
  updateGroupSettings(db, group.id, settings);
  for (const change of changes) {
    if (change.field !== 'name') audit.record({ action: 'set', groupId: group.id, group: currentName, field: change.field, from: change.from, to: change.to });
  }
}

/** Create a group and audit it. Call inside a transaction. */
export function writeNewGroup(db: DB, audit: AuditBatch, name: string, settings: GroupSettings): number {
  const id = insertGroup(db, name, settings);
  audit.record({ action: 'create', groupId: id, group: name });
  return id;
}

/** Delete a group and audit it. Call inside a transaction. */
export function writeGroupDeletion(db: DB, audit: AuditBatch, group: { id: number; name: string }): void {
  deleteGroup(db, group.id);
  audit.record({ action: 'delete', groupId: group.id, group: group.name });
}
