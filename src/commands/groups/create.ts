// pops groups create <name> [setting flags]: a new group; settings not given
// take their defaults (docs/formats.md, "Group settings").
import { defaultSettings, type GroupSettings } from '../../domain/group-settings.js';
import { UsageError } from '../../base/errors.js';
import { arg, defineCommand } from '../../shell/command.js';
import { withDb } from '../../shell/context.js';
import { quoteName, warnIfCollectionsWithoutNumber } from '../../shell/group-plan.js';
import { newGroupName } from '../../shell/parsers.js';
import { givenSettings, settingOptions } from '../../shell/setting-flags.js';
import { AuditBatch } from '../../store/audit.js';
import { findGroupByName } from '../../store/groups.js';
import { writeNewGroup } from '../../store/group-writes.js';

export default defineCommand({
  name: 'create',
  summary: 'create a group; settings not given take their defaults',
  args: [arg('name', 'the new group name (1–80 characters, unique in any case)', newGroupName)],
  options: settingOptions(),
  examples: [
    'pops groups create "Lakeside Pediatrics"',
    'pops groups create "Harbor Dermatology" --show-collections on --footer-phone "(312) 555-0199" --footer-email billing@harbor.example.com',
  ],
  run(opts, deps) {
    const name = opts.name;
    const settings = { ...defaultSettings(), ...givenSettings(opts) } as GroupSettings;
    const id = withDb(deps, (db) =>
      db.write(() => {
        const existing = findGroupByName(db, name);
        if (existing)
          throw new UsageError(
            `a group named ${quoteName(existing.name)} already exists (id ${existing.id})`,
            'Group names are unique in any case; choose another name.',
          );
        return writeNewGroup(db, new AuditBatch(db, deps.actor), name, settings);
      }),
    );
    deps.io.err(`pops: created group ${quoteName(name)} (id ${id})\n`);
    warnIfCollectionsWithoutNumber(deps, name, settings);
  },
});
