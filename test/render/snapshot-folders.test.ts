// Snapshot folders (docs/formats.md, "Preview snapshots"): one per group, the
// slug of its name; when names give the same slug, the lowest id keeps it and
// the others get `<slug>--<id>`, which no name can give.
import { describe, expect, it } from 'vitest';
import { groupDirectories } from '../../src/render/snapshots.js';

const folders = (groups: { id: number; name: string }[]) => Object.fromEntries(groupDirectories(groups));

describe('groupDirectories', () => {
  it('a group whose slug nobody shares keeps its plain slug', () => {
    expect(
      folders([
        { id: 1, name: 'Lakeside Pediatrics' },
        { id: 2, name: 'Riverbend Orthopedics' },
      ]),
    ).toEqual({
      1: 'lakeside-pediatrics',
      2: 'riverbend-orthopedics',
    });
  });

  it('names with the same slug: the lowest id keeps it, the others get --<id>, in whatever order the groups come', () => {
    const groups = [
      { id: 9, name: 'LAKESIDE pediatrics.' },
      { id: 7, name: 'Lakeside-Pediatrics!' },
      { id: 1, name: 'Lakeside Pediatrics' },
    ];
    expect(folders(groups)).toEqual({ 1: 'lakeside-pediatrics', 7: 'lakeside-pediatrics--7', 9: 'lakeside-pediatrics--9' });
  });

  it('a group created later never moves an existing folder', () => {
    const before = folders([
      { id: 1, name: 'Lakeside Pediatrics' },
      { id: 7, name: 'Lakeside-Pediatrics!' },
    ]);
    const after = folders([
      { id: 1, name: 'Lakeside Pediatrics' },
      { id: 7, name: 'Lakeside-Pediatrics!' },
      { id: 12, name: 'lakeside pediatrics' },
    ]);
    expect(after).toMatchObject(before);
    expect(after[12]).toBe('lakeside-pediatrics--12');
  });

  it('a name that reads like the folder of a colliding group is not that folder', () => {
    expect(
      folders([
        { id: 1, name: 'Lakeside Pediatrics' },
        { id: 7, name: 'Lakeside-Pediatrics!' },
        { id: 9, name: 'lakeside-pediatrics-7' },
        { id: 10, name: 'lakeside pediatrics  7' },
      ]),
    ).toEqual({ 1: 'lakeside-pediatrics', 7: 'lakeside-pediatrics--7', 9: 'lakeside-pediatrics-7', 10: 'lakeside-pediatrics-7--10' });
  });

  it('names without a-z0-9 get group-<id>, which a name like "Group 7" may share: the lowest id keeps it', () => {
    expect(
      folders([
        { id: 3, name: 'Group 7' },
        { id: 7, name: '東京' },
        { id: 8, name: '大阪' },
      ]),
    ).toEqual({ 3: 'group-7', 7: 'group-7--7', 8: 'group-8' });
  });

  it('every folder is different, whatever the names', () => {
    const names = ['A', 'a', 'a!', 'a-2', 'a 2', 'a--2', '-a-', 'Group 2', '…', '—', 'group-3', 'b', 'a-3'];
    const groups = names.map((name, i) => ({ id: i + 1, name }));
    const all = [...groupDirectories(groups).values()];
    expect(new Set(all).size).toBe(all.length);
  });
});
