// Validation of a pops dump (docs/balances.md, docs/formats.md) with zod: the whole document is
// checked, every problem reported with its JSON path, before anything is
// written. Cross-references inside the dump are checked here too; references
// to the store are checked by the importer.
import type { z as zt } from 'zod';
import { lazyModule } from '../base/lazy.js';
import type { Problem } from '../base/errors.js';
import { parseMoney, type Cents } from './money.js';
import { isIsoDate } from './dates.js';
import { GROUP_SETTINGS, type GroupSettings } from './group-settings.js';
import { parseGroupName, parseSettingJson } from './group-validate.js';
import { normalizePhone } from './phone.js';

export const NAME_MAX = 100;
export const CODE_MAX = 40;
export const DESCRIPTION_MAX = 500;

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

// zod loads when the first dump is validated, not when this module loads.
const zod = lazyModule<typeof import('zod')>('zod');

/** The dump's schema, built on first use. */
function makeDumpSchema(z: typeof zt) {
  const money = (options: { min?: Cents; positive?: boolean } = {}) =>
    z.any().transform((value, ctx): Cents => {
      const cents = parseMoney(value);
      if (cents === null) {
        ctx.addIssue({ code: 'custom', message: `expected money with at most 2 decimals, got ${describe(value)}` });
        return z.NEVER;
      }
      if (options.positive && cents <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected an amount above zero, got ${describe(value)}` });
        return z.NEVER;
      }
      if (options.min !== undefined && cents < options.min) {
        ctx.addIssue({ code: 'custom', message: `expected an amount of zero or more, got ${describe(value)}` });
        return z.NEVER;
      }
      return cents;
    });

  const date = z.any().refine(isIsoDate, { error: (issue) => `expected a date YYYY-MM-DD, got ${describe(issue.input)}` }) as unknown as zt.ZodType<string>;

  /** Free text from another system: any characters, bounded length. */
  const text = (max: number) =>
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(max, { error: `longer than ${max} characters` });
  const code = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: (i) => `expected a code of letters, digits, . _ -, got ${describe(i.input)}` })
    .max(CODE_MAX);

  const phone = z.any().transform((value, ctx): string | null => {
    if (value === null || value === undefined || value === '') return null;
    const result = typeof value === 'string' ? normalizePhone(value) : { ok: false as const, message: `expected a phone number, got ${describe(value)}` };
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.e164;
  });

  const groupName = z.any().transform((value, ctx): string => {
    const parsed = parseGroupName(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  });

  const groupShape: Record<string, zt.ZodType> = { name: groupName };
  for (const setting of GROUP_SETTINGS) {
    groupShape[setting.key] = z
      .any()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return setting.default;
        const parsed = parseSettingJson(setting, value);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.message });
          return z.NEVER;
        }
        return parsed.value;
      });
  }
  const group = z.strictObject(groupShape) as unknown as zt.ZodType<{ name: string } & GroupSettings>;

  const line = z.strictObject({
    line: z.number().int().min(1).max(9999),
    code: z.string().max(CODE_MAX),
    description: z.string().max(DESCRIPTION_MAX),
    billed: money({ min: 0 }),
    adjusted: money({ min: 0 }),
    insurancePaid: money({ min: 0 }),
    patientPaid: money({ min: 0 }),
  });

  const encounter = z.strictObject({
    number: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    patient: z.string().min(1).max(CODE_MAX),
    facility: code,
    provider: code,
    serviceDate: date,
    status: z.enum(['open', 'pre-collections', 'collections']).default('open'),
    collectionAgency: code.optional(),
    sentToCollectionsOn: date.optional(),
    lines: z.array(line),
  });

  const account = z.strictObject({
    accountNumber: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, { error: (i) => `expected 1-20 characters of A-Z a-z 0-9 -, got ${describe(i.input)}` }),
    guarantor: z.strictObject({ firstName: text(NAME_MAX), lastName: text(NAME_MAX) }),
    group: z.string().min(1).max(200),
    unappliedFunds: money({ min: 0 }).default(0),
    patients: z.array(z.strictObject({ id: z.string().min(1).max(CODE_MAX), firstName: text(NAME_MAX), lastName: text(NAME_MAX) })).default([]),
    encounters: z.array(encounter).default([]),
    statements: z.array(z.strictObject({ date, dueDate: date, amountDue: money({ min: 0 }) })).default([]),
    payments: z.array(z.strictObject({ date, amount: money({ positive: true }), method: z.enum(['card', 'cash', 'check', 'portal', 'other']) })).default([]),
  });

  return z.strictObject({
    format: z.literal('pops-dump'),
    version: z.literal(1),
    groups: z.array(group).default([]),
    collectionAgencies: z.array(z.strictObject({ code, name: text(NAME_MAX), phone: phone.optional() })).default([]),
    facilities: z.array(z.strictObject({ code, name: text(NAME_MAX) })).default([]),
    providers: z.array(z.strictObject({ code, name: text(NAME_MAX) })).default([]),
    accounts: z.array(account).default([]),
  });
}

let dumpSchema: ReturnType<typeof makeDumpSchema> | undefined;

export type Dump = zt.output<ReturnType<typeof makeDumpSchema>>;
export type DumpAccount = Dump['accounts'][number];
export type DumpEncounter = DumpAccount['encounters'][number];

/** `accounts[12].encounters[3].lines[0].billed` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(document)';
}

function messageOf(issue: zt.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const input = (issue as { input?: unknown }).input;
    return input === undefined ? `required field is missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${describe(input)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (issue.code === 'invalid_value')
    return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe((issue as { input?: unknown }).input)}`;
  return issue.message;
}

export type DumpResult = { ok: true; dump: Dump } | { ok: false; problems: Problem[] };

/** Validate a parsed JSON document as a dump: shape, values and internal references. */
export function validateDump(document: unknown): DumpResult {
  const parsed = (dumpSchema ??= makeDumpSchema(zod().z)).safeParse(document, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        // unrecognized keys are reported at the object; name the key in the path
        const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]] : issue.path;
        return { where: formatPath(path), message: issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? 'unknown field' : messageOf(issue) };
      }),
    };
  }
  const problems = checkConsistency(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, dump: parsed.data };
}

/** Rules that span fields: uniqueness, statuses and agencies, patients of the account. */
function checkConsistency(data: Dump): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: PropertyKey[], message: string) => problems.push({ where: formatPath(path), message });

  const seenGroups = new Map<string, number>();
  data.groups.forEach((g, i) => {
    const key = g.name.toLowerCase();
    if (seenGroups.has(key)) problem(['groups', i, 'name'], `duplicate group name ${describe(g.name)} (also groups[${seenGroups.get(key)}])`);
    else seenGroups.set(key, i);
  });
  for (const listName of ['collectionAgencies', 'facilities', 'providers'] as const) {
    const seen = new Map<string, number>();
    data[listName].forEach((item, i) => {
      if (seen.has(item.code)) problem([listName, i, 'code'], `duplicate code ${describe(item.code)} (also ${listName}[${seen.get(item.code)}])`);
      else seen.set(item.code, i);
    });
  }
  const accountNumbers = new Map<string, number>();
  const encounterNumbers = new Map<number, string>();
  data.accounts.forEach((account, a) => {
    if (accountNumbers.has(account.accountNumber)) {
      problem(
        ['accounts', a, 'accountNumber'],
        `duplicate account number ${describe(account.accountNumber)} (also accounts[${accountNumbers.get(account.accountNumber)}])`,
      );
    } else accountNumbers.set(account.accountNumber, a);
    const patientIds = new Set<string>();
    account.patients.forEach((p, i) => {
      if (patientIds.has(p.id)) problem(['accounts', a, 'patients', i, 'id'], `duplicate patient id ${describe(p.id)} in this account`);
      patientIds.add(p.id);
    });
    account.encounters.forEach((e, i) => {
      const at = ['accounts', a, 'encounters', i];
      const where = formatPath(at);
      if (encounterNumbers.has(e.number)) problem([...at, 'number'], `duplicate encounter number ${e.number} (also ${encounterNumbers.get(e.number)})`);
      else encounterNumbers.set(e.number, `${where}.number`);
      if (!patientIds.has(e.patient)) problem([...at, 'patient'], `no patient ${describe(e.patient)} in this account`);
      if (e.status === 'collections' && e.collectionAgency === undefined)
        problem([...at, 'collectionAgency'], 'an encounter in collections needs a collection agency');
      if (e.status === 'open' && e.collectionAgency !== undefined) problem([...at, 'collectionAgency'], 'an open encounter cannot have a collection agency');
      if (e.status === 'open' && e.sentToCollectionsOn !== undefined)
        problem([...at, 'sentToCollectionsOn'], 'an open encounter cannot have been sent to collections');
      const lineNumbers = new Set<number>();
      e.lines.forEach((l, j) => {
        if (lineNumbers.has(l.line)) problem([...at, 'lines', j, 'line'], `duplicate line number ${l.line} in this encounter`);
        lineNumbers.add(l.line);
      });
    });
    const statementDates = new Set<string>();
    account.statements.forEach((s, i) => {
      if (statementDates.has(s.date)) problem(['accounts', a, 'statements', i, 'date'], `duplicate statement date ${s.date} in this account`);
      statementDates.add(s.date);
      if (s.dueDate < s.date) problem(['accounts', a, 'statements', i, 'dueDate'], `due date ${s.dueDate} is before the statement date ${s.date}`);
    });
  });
  return problems;
}
