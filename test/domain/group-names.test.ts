// Group names as people read them (docs/design-choices.md, "Hardening (v1.1)").
import { describe, expect, it } from 'vitest';
import { closestGroupName, editDistance, groupNameKey, newGroupNameProblem, normalizeGroupName } from '../../src/domain/group-names.js';

describe('normalizeGroupName', () => {
  it('composes to NFC, makes every space an ordinary one, runs of them one, and trims', () => {
    expect(normalizeGroupName('  Cafe\u0301\u00a0\u202f Kids\u3000')).toBe('Caf\u00e9 Kids');
  });

  it('keeps format characters (they are refused in new names, not silently dropped)', () => {
    expect(normalizeGroupName('\ufeffA\u200bB')).toBe('\ufeffA\u200bB');
  });
});

describe('groupNameKey', () => {
  it.each([
    ['Lakeside Pediatrics', ' LAKESIDE  pediatrics '],
    ['Caf\u00e9', 'CAFE\u0301'],
    ['Straße', 'STRASSE'],
    ['ẞ', 'ss'],
    ['ΣΟΦΙΑΣ', 'σοφιας'],
    ['Lakeside\u200bPediatrics', 'LakesidePediatrics'],
    ['A\u00a0B', 'a b'],
  ])('%j and %j are one name', (a, b) => {
    expect(groupNameKey(a)).toBe(groupNameKey(b));
  });

  it('keeps different names apart', () => {
    expect(groupNameKey('Lakeside Pediatrics')).not.toBe(groupNameKey('Lakeside Pediatric'));
    expect(groupNameKey('AB')).not.toBe(groupNameKey('A B'));
  });
});

describe('newGroupNameProblem', () => {
  it.each(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e'])('refuses the format character %j', (char) => {
    expect(newGroupNameProblem(`North${char}shore`)).toMatch(/invisible character \(U\+[0-9A-F]{4}\)/);
  });

  it.each(['7', '2024', ' 42 ', '３', '٣'])('refuses %j, only digits', (name) => {
    expect(newGroupNameProblem(name)).toMatch(/only digits/);
  });

  it.each(['Clinic 7', '7th Street Clinic', 'Café', '東京クリニック', 'Clinic 🏥'])('accepts %j', (name) => {
    expect(newGroupNameProblem(name)).toBeUndefined();
  });
});

describe('closestGroupName', () => {
  const names = ['Lakeside Pediatrics', 'Northshore Family Medicine', 'Riverbend Orthopedics'];

  it('suggests a name within a few edits, by the key', () => {
    expect(closestGroupName('lakeside pediatric', names)).toBe('Lakeside Pediatrics');
    expect(closestGroupName('Northshore Famly Medicne', names)).toBe('Northshore Family Medicine');
  });

  it('suggests the one name that starts with what was typed', () => {
    expect(closestGroupName('River', names)).toBe('Riverbend Orthopedics');
    expect(closestGroupName('Riv', names)).toBeUndefined();
  });

  it('suggests the one name whose start is within a few edits of a shortened, mistyped name', () => {
    expect(closestGroupName('Northshore Famly', names)).toBe('Northshore Family Medicine');
    expect(closestGroupName('Rivrebend', names)).toBe('Riverbend Orthopedics');
    // Two names start alike: no guess.
    expect(closestGroupName('Lakesid', [...names, 'Lakeside Pediatrics North'])).toBeUndefined();
  });

  it('suggests nothing far away', () => {
    expect(closestGroupName('Zebra', names)).toBeUndefined();
    expect(closestGroupName('Harbor Dermatology', names)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions by code point, up to a limit', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBeUndefined();
    expect(editDistance('🏥a', '🏥b', 1)).toBe(1);
  });
});
