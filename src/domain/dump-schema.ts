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
import { groupNameKey } from './group-names.js';
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
    payments: z
      .array(
        z.strictObject({
          date,
          amount: money({ positive: true }),
          method: z.enum(['card', 'cash', 'check', 'portal', 'other']),
          status: z.enum(['paid', 'declined']).default('paid'),
        }),
      )
      .default([]),
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

export interface DumpCheck {
  /** The validated dump; undefined when the document does not match the schema. */
  dump: Dump | undefined;
  /** What the store checks read (dump/findConflicts): the dump, or the well-typed parts of an invalid document. */
  outline: DumpOutline;
  /** Schema problems, then cross-field problems; empty when the dump is valid. */
  problems: Problem[];
  /** Paths that have a schema problem: a later check of the same place adds nothing (see withoutPlaces). */
  schemaPlaces: ReadonlySet<string>;
}

/**
 * Schema and cross-field checks in one pass: when the schema fails, the
 * cross-field rules still run on the parts of the document that have the
 * right types, so one run reports both (docs/formats.md, "How import checks a dump").
 */
export function checkDump(document: unknown): DumpCheck {
  const parsed = (dumpSchema ??= makeDumpSchema(zod().z)).safeParse(document, { reportInput: true });
  if (parsed.success) return { dump: parsed.data, outline: parsed.data, problems: checkConsistency(parsed.data), schemaPlaces: new Set() };
  const schemaProblems = parsed.error.issues.map((issue): Problem => {
    // unrecognized keys are reported at the object; name the key in the path
    const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]] : issue.path;
    return { where: formatPath(path), message: issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? 'unknown field' : messageOf(issue) };
  });
  const schemaPlaces = new Set(schemaProblems.map((p) => p.where));
  const outline = outlineOf(document);
  return { dump: undefined, outline, problems: [...schemaProblems, ...withoutPlaces(checkConsistency(outline), schemaPlaces)], schemaPlaces };
}

/** Problems not at one of `places` (a place that already has a schema problem needs no second line). */
export function withoutPlaces(problems: Problem[], places: ReadonlySet<string>): Problem[] {
  return places.size === 0 ? problems : problems.filter((p) => !places.has(p.where));
}

type Listed<T> = readonly (T | undefined)[];

/**
 * What the cross-field and store checks read of a dump. A valid Dump is one;
 * for a document that fails the schema, outlineOf keeps the values that have
 * the right type (and leaves out the rest), keeping every index, so that
 * problems are located at the same paths.
 */
export interface DumpOutline {
  groups: Listed<{ name?: string }>;
  collectionAgencies: Listed<OutlineCoded>;
  facilities: Listed<OutlineCoded>;
  providers: Listed<OutlineCoded>;
  accounts: Listed<OutlineAccount>;
}

interface OutlineCoded {
  code?: string;
  name?: string;
}

interface OutlineAccount {
  accountNumber?: string;
  group?: string;
  patients: Listed<{ id?: string }>;
  encounters: Listed<OutlineEncounter>;
  statements: Listed<{ date?: string; dueDate?: string }>;
}

interface OutlineEncounter {
  number?: number;
  patient?: string;
  facility?: string;
  provider?: string;
  /** Undefined when the status given is not one of the statuses. */
  status?: string;
  collectionAgency?: string;
  sentToCollectionsOn?: string;
  lines: Listed<{ line?: number }>;
}

const STATUSES: readonly string[] = ['open', 'pre-collections', 'collections'];

/** The well-typed parts of a document that failed the schema (see DumpOutline). */
function outlineOf(document: unknown): DumpOutline {
  const root = asRecord(document);
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const date = (value: unknown): string | undefined => (isIsoDate(value) ? (value as string) : undefined);
  const whole = (value: unknown): number | undefined => (Number.isSafeInteger(value) ? (value as number) : undefined);
  const coded = (value: unknown): Listed<OutlineCoded> =>
    list(value).map((item) => {
      const record = asRecord(item);
      return record && { code: text(record.code), name: text(record.name) };
    });
  return {
    groups: list(root?.groups).map((item) => {
      const record = asRecord(item);
      if (!record) return undefined;
      const name = parseGroupName(record.name);
      return { name: name.ok ? name.value : undefined };
    }),
    collectionAgencies: coded(root?.collectionAgencies),
    facilities: coded(root?.facilities),
    providers: coded(root?.providers),
    accounts: list(root?.accounts).map((item): OutlineAccount | undefined => {
      const account = asRecord(item);
      if (!account) return undefined;
      return {
        accountNumber: text(account.accountNumber),
        group: text(account.group),
        patients: list(account.patients).map((p) => asRecord(p) && { id: text(asRecord(p)!.id) }),
        encounters: list(account.encounters).map((e): OutlineEncounter | undefined => {
          const encounter = asRecord(e);
          if (!encounter) return undefined;
          const status = encounter.status === undefined ? 'open' : text(encounter.status);
          return {
            number: whole(encounter.number),
            patient: text(encounter.patient),
            facility: text(encounter.facility),
            provider: text(encounter.provider),
            status: status !== undefined && STATUSES.includes(status) ? status : undefined,
            collectionAgency: text(encounter.collectionAgency),
            sentToCollectionsOn: date(encounter.sentToCollectionsOn),
            lines: list(encounter.lines).map((l) => asRecord(l) && { line: whole(asRecord(l)!.line) }),
          };
        }),
        statements: list(account.statements).map((st) => {
          const statement = asRecord(st);
          return statement && { date: date(statement.date), dueDate: date(statement.dueDate) };
        }),
      };
    }),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Rules that span fields: uniqueness, statuses and agencies, patients of the
 * account. Values the outline left out (of the wrong type) are not judged.
 */
function checkConsistency(data: DumpOutline): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: PropertyKey[], message: string) => problems.push({ where: formatPath(path), message });

  const seenGroups = new Map<string, number>();
  data.groups.forEach((g, i) => {
    if (g?.name === undefined) return;
    const key = groupNameKey(String(g.name));
    if (seenGroups.has(key)) problem(['groups', i, 'name'], `duplicate group name ${describe(g.name)} (also groups[${seenGroups.get(key)}])`);
    else seenGroups.set(key, i);
  });
  for (const listName of ['collectionAgencies', 'facilities', 'providers'] as const) {
    const seen = new Map<string, number>();
    data[listName].forEach((item, i) => {
      if (item?.code === undefined) return;
      if (seen.has(item.code)) problem([listName, i, 'code'], `duplicate code ${describe(item.code)} (also ${listName}[${seen.get(item.code)}])`);
      else seen.set(item.code, i);
    });
  }
  const accountNumbers = new Map<string, number>();
  const encounterNumbers = new Map<number, string>();
  data.accounts.forEach((account, a) => {
    if (account === undefined) return;
    if (account.accountNumber !== undefined) {
      if (accountNumbers.has(account.accountNumber)) {
        problem(
          ['accounts', a, 'accountNumber'],
          `duplicate account number ${describe(account.accountNumber)} (also accounts[${accountNumbers.get(account.accountNumber)}])`,
        );
      } else accountNumbers.set(account.accountNumber, a);
    }
    const patientIds = new Set<string>();
    // An invalid patient (reported by the schema) might be the one an encounter names.
    let patientsKnown = true;
    account.patients.forEach((p, i) => {
      if (p?.id === undefined) {
        patientsKnown = false;
        return;
      }
      if (patientIds.has(p.id)) problem(['accounts', a, 'patients', i, 'id'], `duplicate patient id ${describe(p.id)} in this account`);
      patientIds.add(p.id);
    });
    account.encounters.forEach((e, i) => {
      if (e === undefined) return;
      const at = ['accounts', a, 'encounters', i];
      const where = formatPath(at);
      if (e.number !== undefined) {
        if (encounterNumbers.has(e.number)) problem([...at, 'number'], `duplicate encounter number ${e.number} (also ${encounterNumbers.get(e.number)})`);
        else encounterNumbers.set(e.number, `${where}.number`);
      }
      if (e.patient !== undefined && patientsKnown && !patientIds.has(e.patient))
        problem([...at, 'patient'], `no patient ${describe(e.patient)} in this account`);
      if (e.status === 'collections' && e.collectionAgency === undefined)
        problem([...at, 'collectionAgency'], 'an encounter in collections needs a collection agency');
      if (e.status === 'open' && e.collectionAgency !== undefined) problem([...at, 'collectionAgency'], 'an open encounter cannot have a collection agency');
      if (e.status === 'open' && e.sentToCollectionsOn !== undefined)
        problem([...at, 'sentToCollectionsOn'], 'an open encounter cannot have been sent to collections');
      const lineNumbers = new Set<number>();
      e.lines.forEach((l, j) => {
        if (l?.line === undefined) return;
        if (lineNumbers.has(l.line)) problem([...at, 'lines', j, 'line'], `duplicate line number ${l.line} in this encounter`);
        lineNumbers.add(l.line);
      });
    });
    const statementDates = new Set<string>();
    account.statements.forEach((s, i) => {
      if (s?.date === undefined) return;
      if (statementDates.has(s.date)) problem(['accounts', a, 'statements', i, 'date'], `duplicate statement date ${s.date} in this account`);
      statementDates.add(s.date);
      if (s.dueDate !== undefined && s.dueDate < s.date)
        problem(['accounts', a, 'statements', i, 'dueDate'], `due date ${s.dueDate} is before the statement date ${s.date}`);
    });
  });
  return problems;
}
