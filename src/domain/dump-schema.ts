// Validation of a pops dump (docs/balances.md, docs/formats.md) with zod, one
// element of a top-level list at a time (import reads the dump as a stream:
// docs/formats.md, "How import reads a dump"), every problem reported with its
// JSON path. The rules inside one element are checked here, and the rules
// across elements (uniqueness) through the keys the importer keeps; references
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
  // JSON.parse reads a number beyond the double range (1e400) as Infinity, and rounds a whole number past 2^53.
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number too large to hold';
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return 'a number too large to hold exactly';
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

  /** A whole number in [min, max], in one message whatever is wrong with it. */
  const whole = (min: number, max: number) =>
    z.any().refine((value) => Number.isSafeInteger(value) && value >= min && value <= max, {
      error: (issue) => `expected a whole number from ${min} to ${max}, got ${describe(issue.input)}`,
    }) as unknown as zt.ZodType<number>;

  const line = z.strictObject({
    line: whole(1, 9999),
    code: z.string().max(CODE_MAX),
    description: z.string().max(DESCRIPTION_MAX),
    billed: money({ min: 0 }),
    adjusted: money({ min: 0 }),
    insurancePaid: money({ min: 0 }),
    patientPaid: money({ min: 0 }),
  });

  const encounter = z.strictObject({
    number: whole(1, Number.MAX_SAFE_INTEGER),
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

  const elements = {
    groups: group,
    collectionAgencies: z.strictObject({ code, name: text(NAME_MAX), phone: phone.optional() }),
    facilities: z.strictObject({ code, name: text(NAME_MAX) }),
    providers: z.strictObject({ code, name: text(NAME_MAX) }),
    accounts: account,
  };
  const document = z.strictObject({
    format: z.literal('pops-dump'),
    version: z.literal(1),
    groups: z.array(elements.groups).default([]),
    collectionAgencies: z.array(elements.collectionAgencies).default([]),
    facilities: z.array(elements.facilities).default([]),
    providers: z.array(elements.providers).default([]),
    accounts: z.array(elements.accounts).default([]),
  });
  return { document, elements };
}

let dumpSchema: ReturnType<typeof makeDumpSchema> | undefined;
const schemas = () => (dumpSchema ??= makeDumpSchema(zod().z));

/** The top-level lists of a dump, in the order export writes them. */
export const DUMP_LISTS = ['groups', 'collectionAgencies', 'facilities', 'providers', 'accounts'] as const;
export type DumpList = (typeof DUMP_LISTS)[number];

export type Dump = zt.output<ReturnType<typeof makeDumpSchema>['document']>;
export type DumpGroup = Dump['groups'][number];
export type DumpCoded = Dump['facilities'][number] & { phone?: string | null };
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

/** What one element of a dump list gave: its checked value, or its problems (JSON paths from the document's root). */
export interface ElementCheck {
  /** The element, checked and converted (money in cents, defaults filled); undefined when it has problems. */
  value: unknown;
  /** Schema problems, then the rules inside the element, then the keys it repeats (see accountRules). */
  problems: Problem[];
  /** Paths that have a schema problem: a later check of the same place adds nothing (see withoutPlaces). */
  schemaPlaces: ReadonlySet<string>;
}

/** zod's issues as problems, their paths under `prefix`. */
function problemsOf(issues: readonly zt.core.$ZodIssue[], prefix: readonly PropertyKey[]): Problem[] {
  return issues.map((issue): Problem => {
    // unrecognized keys are reported at the object; name the key in the path
    const one = issue.code === 'unrecognized_keys' && issue.keys.length === 1;
    const path = one ? [...prefix, ...issue.path, issue.keys[0]] : [...prefix, ...issue.path];
    return { where: formatPath(path), message: one ? 'unknown field' : messageOf(issue) };
  });
}

/**
 * The document without its lists' elements (each list that is an array given
 * as []): the top-level fields, checked once the whole document has been read.
 */
export function checkDumpSkeleton(skeleton: unknown): Problem[] {
  const parsed = schemas().document.safeParse(skeleton, { reportInput: true });
  return parsed.success ? [] : problemsOf(parsed.error.issues, []);
}

/** The schema of one element of a dump list (`accounts[12]`); its outline for the rules across elements. */
export function checkDumpElement(list: DumpList, index: number, item: unknown): ElementCheck & { outline: unknown } {
  const parsed = schemas().elements[list].safeParse(item, { reportInput: true });
  if (parsed.success) return { value: parsed.data, problems: [], schemaPlaces: new Set(), outline: parsed.data };
  const problems = problemsOf(parsed.error.issues, [list, index]);
  return { value: undefined, problems, schemaPlaces: new Set(problems.map((p) => p.where)), outline: OUTLINES[list](item) };
}

/** Problems not at one of `places` (a place that already has a schema problem needs no second line). */
export function withoutPlaces<T extends { where: string }>(problems: T[], places: ReadonlySet<string>): T[] {
  return places.size === 0 ? problems : problems.filter((p) => !places.has(p.where));
}

type Listed<T> = readonly (T | undefined)[];

/**
 * What the rules across elements and the store checks read of an element. A
 * valid element is one; for an element that fails the schema, the outline
 * keeps the values that have the right type (and leaves out the rest),
 * keeping every index, so that problems are located at the same paths.
 */
export interface OutlineGroup {
  name?: string;
}

export interface OutlineCoded {
  code?: string;
  name?: string;
}

export interface OutlineAccount {
  accountNumber?: string;
  group?: string;
  patients: Listed<{ id?: string }>;
  encounters: Listed<OutlineEncounter>;
  statements: Listed<{ date?: string; dueDate?: string }>;
}

export interface OutlineEncounter {
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

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const date = (value: unknown): string | undefined => (isIsoDate(value) ? (value as string) : undefined);
const whole = (value: unknown): number | undefined => (Number.isSafeInteger(value) ? (value as number) : undefined);

function outlineGroup(item: unknown): OutlineGroup | undefined {
  const record = asRecord(item);
  if (!record) return undefined;
  const name = parseGroupName(record.name);
  return { name: name.ok ? name.value : undefined };
}

function outlineCoded(item: unknown): OutlineCoded | undefined {
  const record = asRecord(item);
  return record && { code: text(record.code), name: text(record.name) };
}

function outlineAccount(item: unknown): OutlineAccount | undefined {
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
}

const OUTLINES: Record<DumpList, (item: unknown) => unknown> = {
  groups: outlineGroup,
  collectionAgencies: outlineCoded,
  facilities: outlineCoded,
  providers: outlineCoded,
  accounts: outlineAccount,
};

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The keys that must be unique across a dump's elements: each call says where
 * the key was seen before, or undefined (and the key counts as seen). The
 * importer keeps them (docs/formats.md, "How import reads a dump").
 */
export interface SeenKeys {
  /** The index of the group that has the name's key. */
  groupName(key: string, index: number): number | undefined;
  code(list: 'collectionAgencies' | 'facilities' | 'providers', code: string, index: number): number | undefined;
  /** The index of the account that has the number. */
  accountNumber(accountNumber: string, index: number): number | undefined;
  /** The index of the account that has an encounter of that number (in another account than accounts[index]). */
  encounterNumber(encounterNumber: number, index: number): number | undefined;
}
/** A group's name not unique in the dump. */
export function groupRules(group: OutlineGroup | undefined, index: number, seen: SeenKeys): Problem[] {
  if (group?.name === undefined) return [];
  const before = seen.groupName(groupNameKey(String(group.name)), index);
  return before === undefined
    ? []
    : [{ where: formatPath(['groups', index, 'name']), message: `duplicate group name ${describe(group.name)} (also groups[${before}])` }];
}

/** A code not unique in its list. */
export function codedRules(
  listName: 'collectionAgencies' | 'facilities' | 'providers',
  item: OutlineCoded | undefined,
  index: number,
  seen: SeenKeys,
): Problem[] {
  if (item?.code === undefined) return [];
  const before = seen.code(listName, item.code, index);
  return before === undefined
    ? []
    : [{ where: formatPath([listName, index, 'code']), message: `duplicate code ${describe(item.code)} (also ${listName}[${before}])` }];
}

/**
 * Rules that span an account's fields: uniqueness (of its number and its
 * encounters' numbers in the dump, through `seen`), statuses and agencies,
 * patients of the account. Values the outline left out (of the wrong type)
 * are not judged.
 */
export function accountRules(account: OutlineAccount | undefined, a: number, seen: SeenKeys): Problem[] {
  const problems: Problem[] = [];
  if (account === undefined) return problems;
  const problem = (path: PropertyKey[], message: string) => problems.push({ where: formatPath(path), message });
  if (account.accountNumber !== undefined) {
    const before = seen.accountNumber(account.accountNumber, a);
    if (before !== undefined) {
      problem(['accounts', a, 'accountNumber'], `duplicate account number ${describe(account.accountNumber)} (also accounts[${before}])`);
    }
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
  // This account's encounter numbers, where each was first given.
  const encounterNumbers = new Map<number, number>();
  account.encounters.forEach((e, i) => {
    if (e === undefined) return;
    const at = ['accounts', a, 'encounters', i];
    if (e.number !== undefined) {
      const here = encounterNumbers.get(e.number);
      if (here !== undefined) problem([...at, 'number'], `duplicate encounter number ${e.number} (also accounts[${a}].encounters[${here}].number)`);
      else {
        encounterNumbers.set(e.number, i);
        const before = seen.encounterNumber(e.number, a);
        if (before !== undefined) problem([...at, 'number'], `duplicate encounter number ${e.number} (also in accounts[${before}])`);
      }
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
  return problems;
}
