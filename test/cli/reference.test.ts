// docs/commands.md is generated from the command tree (`npm run docs`): it
// must be what the program prints today.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reference } from '../../src/cli.js';
import { ROOT } from '../helpers/cli.js';

describe('docs/commands.md', () => {
  it('is up to date with the command tree (run `npm run docs` after changing a command)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'commands.md'), 'utf8');
    expect(committed).toBe(reference());
  });

  it('holds every command help page', () => {
    const text = reference();
    expect(text).toContain('## pops groups footer-number\n\n```text\nUsage: pops groups footer-number [options] <group> [number]');
    expect(text).toContain('Global Options:');
  });
});
