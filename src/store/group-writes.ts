// Writing planned group changes together with their audit rows: the one path
// every group-changing command takes, so no change escapes the audit log.
import type { DbLike } from './db.js';
import type { AuditBatch, AuditChange } from './audit.js';
import { diffGroup, type FieldChange } from '../domain/group-changes.js';
import { defaultSettings, type GroupSettingKey, type GroupSettings, type SettingValue } from '../domain/group-settings.js';
import { deleteGroup, insertGroup, renameGroup, updateGroupsSettings, type SettingsUpdate } from './groups.js';

/** Changes planned for one group (its current name is `group.name`). */
export interface GroupChanges {
  group: { id: number; name: string };
  changes: readonly FieldChange[];
}

/** Groups written per statement: also how often a progress bar moves. */
const CHUNK = 1000;

/**
 * Apply each group's changes and audit each one, in order. Call inside a
 * transaction. Settings changed together are written for a chunk of groups at
 * once (store/groups.ts updateGroupsSettings), and the chunk's audit rows in
 * one statement; `progress` hears how many groups are done after each chunk.
 */
export function writeGroupChanges(db: DbLike, audit: AuditBatch, planned: readonly GroupChanges[], progress?: (done: number) => void): void {
  for (let start = 0; start < planned.length; start += CHUNK) {
    const chunk = planned.slice(start, start + CHUNK);
    const audits: AuditChange[] = [];
    // The groups of the chunk by the settings they change (usually one set for all).
    const bySettings = new Map<string, { keys: GroupSettingKey[]; updates: SettingsUpdate[] }>();
    for (const { group, changes } of chunk) {
      let currentName = group.name;
      const keys: GroupSettingKey[] = [];
      const values: SettingValue[] = [];
      for (const change of changes) {
        if (change.field === 'name') {
          renameGroup(db, group.id, change.to as string);
          audits.push({ action: 'rename', groupId: group.id, group: currentName, field: 'name', from: change.from, to: change.to });
          currentName = change.to as string;
        } else {
          keys.push(change.field);
          values.push(change.to);
        }
      }
      if (keys.length > 0) {
        const signature = keys.join(',');
        let same = bySettings.get(signature);
        if (!same) bySettings.set(signature, (same = { keys, updates: [] }));
        same.updates.push({ id: group.id, values });
      }
      for (const change of changes) {
        if (change.field !== 'name')
          audits.push({ action: 'set', groupId: group.id, group: currentName, field: change.field, from: change.from, to: change.to });
      }
    }
    for (const { keys, updates } of bySettings.values()) updateGroupsSettings(db, keys, updates);
    audit.recordAll(audits);
    progress?.(start + chunk.length);
  }
}

/**
 * Create a group and audit it: a `create` row, then a `set` row (from the
 * default) for each setting that differs from its default, so the log alone
 * tells who turned a setting on and replaying it gives the group
 * (docs/store.md, "The audit log"). Call inside a transaction.
 */
export function writeNewGroup(db: DbLike, audit: AuditBatch, name: string, settings: GroupSettings): number {
  return writeNewGroups(db, audit, [{ name, settings }])[0];
}

/**
 * Create groups in order and audit each as writeNewGroup does; the audit rows
 * of a chunk of groups go in one statement (on PostgreSQL every statement is a
 * round trip). `progress` hears how many groups are done after each chunk.
 * Call inside a transaction. Returns the new groups' ids.
 */
export function writeNewGroups(
  db: DbLike,
  audit: AuditBatch,
  groups: readonly { name: string; settings: GroupSettings }[],
  progress?: (done: number) => void,
): number[] {
  const ids: number[] = [];
  for (let start = 0; start < groups.length; start += CHUNK) {
    const audits: AuditChange[] = [];
    for (const { name, settings } of groups.slice(start, start + CHUNK)) {
      const id = insertGroup(db, name, settings);
      ids.push(id);
      audits.push({ action: 'create', groupId: id, group: name });
      for (const change of diffGroup({ id, name, ...defaultSettings() }, settings)) {
        audits.push({ action: 'set', groupId: id, group: name, field: change.field, from: change.from, to: change.to });
      }
    }
    audit.recordAll(audits);
    progress?.(Math.min(start + CHUNK, groups.length));
  }
  return ids;
}

/** Delete a group and audit it. Call inside a transaction. */
export function writeGroupDeletion(db: DbLike, audit: AuditBatch, group: { id: number; name: string }): void {
  deleteGroup(db, group.id);
  audit.record({ action: 'delete', groupId: group.id, group: group.name });
}
