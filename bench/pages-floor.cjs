// node bench/pages-floor.cjs <store.db> <new dir>
//
// The pages floor (docs/performance.md, "Baselines"): the least a Node program
// does to write the Account pages `pops preview --all --out <dir>` writes, to
// show what making the pages costs at the least. A reference for the snapshot
// figure, not its baseline. Two threads, as pops has. The second reads the
// rows in one read transaction, 50 accounts at a time as one JSON text per
// batch (at most 4 batches ahead of the writing), and writes each page to
// <dir>/<group-slug>/<account>.txt (folders 0700, made as their first page
// comes; files 0600). The main thread parses each batch, works out the figures
// (docs/balances.md), makes each page as one string and hands a batch's pages
// back as one UTF-8 buffer, which comes back to it for the next batch once
// written. The page maker knows only what the bench's store holds: 80 columns,
// no color, single-spaced printable ASCII, and the settings its groups have;
// on anything else it stops with an error or writes a page that the runner's
// check (every file pops's, byte for byte) finds different. No options, no
// checks of the store or the folder, no sanitizing, no general layout. It
// uses none of pops's code: its rules (money, dates, figures, layout) are
// written out here.
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { setImmediate } = require('node:timers');

const BATCH = 50;
/** Batches read and not yet written, at most. */
const AHEAD = 4;

// ---------------------------------------------------------------------------
// The second thread: rows in, pages out.

function readAndWrite(store, dir) {
  const db = new (require('better-sqlite3'))(store, { readonly: true });
  // What the pages name, read once: groups (with whether any payment method is
  // offered: a card, Google Pay, or Apple Pay when payments are not split),
  // patients, facilities, providers and agencies.
  const lookups = db
    .prepare(
      `SELECT json_array(
         (SELECT json_group_array(json_array(id, name, show_collections, footer_phone, footer_email, footer_text, account_dashboard,
                   include_new_charges, credit_card OR google_pay OR (apple_pay AND NOT split_payments), show_current_balance, show_escrow))
          FROM groups),
         (SELECT json_group_object(id, json_array(patient_key, first_name, last_name)) FROM patients),
         (SELECT json_group_object(id, json_array(code, name)) FROM facilities),
         (SELECT json_group_object(id, json_array(code, name)) FROM providers),
         (SELECT json_group_object(id, name) FROM collection_agencies))`,
    )
    .pluck();
  const batch = db
    .prepare(
      `SELECT json_group_array(json_array(a.id, a.account_number, a.guarantor_first_name, a.guarantor_last_name, a.group_id,
                a.unapplied_funds_cents,
                (SELECT json_group_array(json_array(e.number, e.service_date, e.status, e.patient_id, e.facility_id, e.provider_id, e.agency_id,
                          (SELECT json_group_array(json_array(l.line, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents,
                                    l.patient_paid_cents))
                           FROM lines l WHERE l.encounter_number = e.number)))
                 FROM encounters e WHERE e.account_id = a.id),
                (SELECT json_group_array(json_array(s.date, s.due_date, s.amount_due_cents)) FROM statements s WHERE s.account_id = a.id),
                (SELECT json_group_array(json_array(y.date, y.amount_cents)) FROM payments y WHERE y.account_id = a.id AND y.status = 'paid'))),
              count(*), max(a.id)
       FROM (SELECT * FROM accounts WHERE id > ? ORDER BY id LIMIT ${BATCH}) a`,
    )
    .raw();
  fs.mkdirSync(dir, { mode: 0o700 });
  const folders = new Set();
  let after = Number.MIN_SAFE_INTEGER;
  let ahead = 0;
  let done = false;
  const read = () => {
    if (done || ahead >= AHEAD) return;
    const [json, count, last] = batch.get(after);
    if (count === 0) {
      done = true;
      db.exec('COMMIT');
      parentPort.postMessage(null);
      return;
    }
    after = last;
    ahead += 1;
    parentPort.postMessage(json);
    setImmediate(read);
  };
  parentPort.on('message', (pages) => {
    if (pages === null) process.exit(0);
    const bytes = Buffer.from(pages.bytes);
    for (let i = 0, start = 0; i < pages.files.length; start = pages.ends[i], i += 1) {
      const folder = `${dir}/${pages.folders[i]}`;
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { mode: 0o700 });
        folders.add(folder);
      }
      const fd = fs.openSync(`${folder}/${pages.files[i]}`, 'wx', 0o600);
      fs.writeSync(fd, bytes, start, pages.ends[i] - start);
      fs.closeSync(fd);
    }
    parentPort.postMessage(pages.bytes, [pages.bytes]);
    ahead -= 1;
    read();
  });
  db.exec('BEGIN');
  parentPort.postMessage(lookups.get());
  read();
}

// ---------------------------------------------------------------------------
// The main thread: pages from rows.

function makePages(store, dir) {
  const helper = new Worker(__filename, { workerData: { store, dir } });
  let names = null;
  const spare = [];
  helper.on('message', (message) => {
    if (message === null) helper.postMessage(null);
    else if (message instanceof ArrayBuffer) spare.push(message);
    else if (names === null) names = namesOf(JSON.parse(message));
    else {
      const pages = batchOfPages(JSON.parse(message), names, spare.pop());
      helper.postMessage(pages, [pages.bytes]);
    }
  });
  helper.on('error', (error) => {
    console.error(`pages floor: ${error.message}`);
    process.exitCode = 1;
  });
}

function fail(what) {
  throw new Error(`pages floor: ${what} (this floor renders only what the bench's store holds)`);
}

/** The groups by id, and the patients', facilities', providers' and agencies' names. */
function namesOf([groupRows, patients, facilities, providers, agencies]) {
  const groups = new Map();
  for (const [id, name, showCollections, phone, email, text, dashboard, includeNewCharges, anyMethod, showCurrent, showEscrow] of groupRows) {
    if (email !== null || text !== null || dashboard !== 1) fail(`group ${name}: a footer e-mail, a footer text or the Account page off`);
    if (phone !== null && !/^\+1\d{10}$/.test(phone)) fail(`group ${name}: footer phone ${phone}`);
    const shown = phone === null ? null : `(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    groups.set(id, {
      name: plain(name),
      folder: name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
      showCollections: showCollections === 1,
      includeNewCharges: includeNewCharges === 1,
      anyMethod: anyMethod === 1,
      showCurrent: showCurrent === 1,
      showEscrow: showEscrow === 1,
      phone: shown,
      // No-break spaces hold "call (312) 555-0142." on one line.
      howToCall: shown === null ? 'contact the office.' : `call\u00a0${shown.replace(' ', '\u00a0')}.`,
    });
  }
  return { groups, patients, facilities, providers, agencies };
}

/** A batch's pages as one UTF-8 buffer (`spare`, when big enough), with each page's folder, file and end. */
function batchOfPages(rows, names, spare) {
  const folders = [];
  const files = [];
  const ends = new Int32Array(rows.length);
  let bytes = spare === undefined ? Buffer.allocUnsafeSlow(rows.length * 8192) : Buffer.from(spare);
  let end = 0;
  for (let i = 0; i < rows.length; i += 1) {
    const group = names.groups.get(rows[i][4]) ?? fail(`account ${rows[i][1]}: no group ${rows[i][4]}`);
    const account = accountOf(rows[i], names);
    const text = page(account, group);
    if (end + text.length * 3 > bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(2 * bytes.length + text.length * 3);
      bytes.copy(bigger, 0, 0, end);
      bytes = bigger;
    }
    end += bytes.write(text, end);
    ends[i] = end;
    folders.push(group.folder);
    files.push(`${account.number}.txt`);
  }
  return { folders, files, ends, bytes: bytes.buffer };
}

const byLine = (a, b) => a.line - b.line;

function accountOf([, number, first, last, , unapplied, encounterRows, statementRows, paymentRows], names) {
  if (!/^[A-Za-z0-9-]+$/.test(number)) fail(`account number ${number}`);
  const encounters = [];
  for (const [no, date, status, patientId, facilityId, providerId, agencyId, lineRows] of encounterRows) {
    const [patientKey, patientFirst, patientLast] = names.patients[patientId] ?? fail(`encounter ${no}: no patient ${patientId}`);
    const [facilityCode, facility] = names.facilities[facilityId] ?? fail(`encounter ${no}: no facility ${facilityId}`);
    const [providerCode, provider] = names.providers[providerId] ?? fail(`encounter ${no}: no provider ${providerId}`);
    const agency = agencyId === null ? null : (names.agencies[agencyId] ?? fail(`encounter ${no}: no agency ${agencyId}`));
    const lines = [];
    let balance = 0;
    let ordered = true;
    for (const [line, billed, adjusted, insurancePaid, patientPaid] of lineRows) {
      const remaining = billed - adjusted - insurancePaid - patientPaid;
      if (lines.length > 0 && lines[lines.length - 1].line > line) ordered = false;
      lines.push({ line, billed, adjusted, insurancePaid, patientPaid, remaining });
      balance += remaining;
    }
    if (!ordered) lines.sort(byLine);
    encounters.push({
      number: no,
      date,
      status,
      patientKey,
      first: patientFirst,
      last: patientLast,
      facilityCode,
      facility,
      providerCode,
      provider,
      agency,
      lines,
      balance,
    });
  }
  const statements = statementRows.map(([date, dueDate, amountDue]) => ({ date, dueDate, amountDue, amountText: money(amountDue) }));
  const payments = paymentRows.map(([date, amount]) => ({ date, amount }));
  return { number, name: fullName(first, last), unapplied, encounters, statements, payments };
}

// ---------------------------------------------------------------------------
// The page: 80 columns, no color.

const WIDTH = 80;
const INNER = WIDTH - 4;
const SPACES = Array.from({ length: WIDTH + 1 }, (_, n) => ' '.repeat(n));
const spaces = (n) => (n <= 0 ? '' : n <= WIDTH ? SPACES[n] : ' '.repeat(n));
const HEAVY_TOP = `╔${'═'.repeat(WIDTH - 2)}╗`;
const HEAVY_BOTTOM = `╚${'═'.repeat(WIDTH - 2)}╝`;
const BOTTOM = `└${'─'.repeat(WIDTH - 2)}┘`;
const BLANK = `│${spaces(WIDTH - 2)}│`;
const RULE = '─'.repeat(WIDTH);
const titled = (title) => `┌─ ${title} ${'─'.repeat(WIDTH - 5 - title.length)}┐`;
const SUMMARY = titled('Account Summary');
const COLLECTION = titled('Collection Balance');
const VISITS = titled('Visits Since Last Statement');
const STATEMENTS = titled('Statement History');
/** Printable ASCII words with one space between them (or nothing): as wide as they are long, and wrapped as they are. */
const PLAIN = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

const plain = (text) => (PLAIN.test(text) ? text : fail(`text ${JSON.stringify(text)}`));
const fits = (text) => (text.length <= INNER ? text : fail(`a line wider than the page: ${text}`));
const inPanel = (out, text) => out.push(`│ ${fits(text)}${spaces(INNER - text.length)} │`);
const inHeader = (out, text) => out.push(`║ ${fits(plain(text))}${spaces(INNER - text.length)} ║`);
const fullName = (first, last) => (first === '' ? last : last === '' ? first : `${first} ${last}`);
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const date = (iso) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

function money(cents) {
  const abs = cents < 0 ? -cents : cents;
  const fraction = abs % 100;
  let whole = (abs - fraction) / 100;
  let thousands = '';
  while (whole >= 1000) {
    const group = whole % 1000;
    thousands = `,${group < 10 ? '00' : group < 100 ? '0' : ''}${group}${thousands}`;
    whole = (whole - group) / 1000;
  }
  return `${cents < 0 ? '-$' : '$'}${whole}${thousands}${fraction < 10 ? '.0' : '.'}${fraction}`;
}

/** Word-wrapped to `width` columns; no-break spaces hold words together and come out as spaces. */
function wrap(text, width) {
  if (text.length <= width && !text.includes('\u00a0')) return [text];
  const lines = [];
  let current = '';
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    if (current !== '' && current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      if (current !== '') lines.push(current);
      if (word.length > width) fail(`a word wider than the page: ${word}`);
      current = word;
    }
  }
  lines.push(current);
  return lines.map((line) => line.replace(/\u00a0/g, ' '));
}

function page(account, group) {
  const out = [HEAVY_TOP];
  inHeader(out, group.name);
  inHeader(out, `Account ${account.number}`);
  inHeader(out, account.name);
  out.push(HEAVY_BOTTOM);

  // The figures (docs/balances.md).
  let latest;
  let previous;
  for (const s of account.statements) {
    if (latest === undefined || s.date > latest.date) {
      previous = latest;
      latest = s;
    } else if (previous === undefined || s.date > previous.date) previous = s;
  }
  let collection = 0;
  let other = 0;
  let newCharges = 0;
  const visits = [];
  for (const e of account.encounters) {
    if (e.status === 'collections') collection += e.balance;
    else {
      other += e.balance;
      if (latest === undefined || e.date > latest.date) newCharges += e.balance;
      if (latest === undefined ? e.balance !== 0 : e.date > latest.date) visits.push(e);
    }
  }
  let paidSince = 0;
  for (const p of account.payments) if (latest === undefined || p.date > latest.date) paidSince += p.amount;
  const charges = group.includeNewCharges ? Math.max(0, newCharges) : 0;
  const amountDue = latest === undefined ? charges : Math.max(0, latest.amountDue - paidSince) + charges;
  const online = Math.max(0, other);

  out.push('', SUMMARY);
  const rows = [
    ['Amount Due', money(amountDue)],
    ['Last Statement', previous === undefined ? '—' : previous.amountText],
  ];
  if (group.showCurrent) rows.push(['Current Balance', money(other)]);
  if (group.showEscrow) rows.push(['Unapplied Funds', money(account.unapplied)]);
  labelled(out, rows);
  out.push(BLANK);
  if (online > 0 && group.anyMethod) inPanel(out, group.showCurrent ? `[ Pay Now ]  ${money(online)} can be paid online.` : '[ Pay Now ]');
  else inPanel(out, online > 0 ? 'Nothing to pay online: this group accepts no online payment method.' : 'Nothing to pay online.');
  out.push(BOTTOM);

  if (group.showCollections && collection > 0) {
    out.push('', COLLECTION);
    labelled(out, [['Amount in Collections', money(collection)]]);
    const agencies = [];
    for (const e of account.encounters) if (e.status === 'collections' && e.agency !== null && !agencies.includes(e.agency)) agencies.push(plain(e.agency));
    agencies.sort(byText);
    if (agencies.length > 0) for (const line of wrap(`${agencies.length === 1 ? 'Agency' : 'Agencies'}: ${agencies.join(', ')}`, INNER)) inPanel(out, line);
    out.push(BLANK);
    for (const line of wrap(`Collection balances cannot be paid through the portal. To pay or ask about this balance, ${group.howToCall}`, INNER))
      inPanel(out, line);
    out.push(BOTTOM);
  }

  out.push('', VISITS);
  if (visits.length === 0) inPanel(out, 'No visits since your last statement.');
  else visitLines(out, visits);
  out.push(BOTTOM);

  out.push('', STATEMENTS);
  if (account.statements.length === 0) inPanel(out, 'No statements yet.');
  else {
    const newestFirst = account.statements.slice().sort((a, b) => byText(b.dueDate, a.dueDate) || byText(b.date, a.date));
    let amountWidth = 'Amount Due'.length;
    for (const s of newestFirst) amountWidth = Math.max(amountWidth, s.amountText.length);
    inPanel(out, `Statement Date   Due Date     ${spaces(amountWidth - 10)}Amount Due`);
    for (const s of newestFirst) inPanel(out, `${date(s.date)}       ${date(s.dueDate)}   ${spaces(amountWidth - s.amountText.length)}${s.amountText}`);
  }
  out.push(BOTTOM);

  if (group.phone !== null) out.push('', RULE, `Phone: ${group.phone}`);
  out.push('');
  return out.join('\n');
}

/** Labels left, values right-aligned in one column. */
function labelled(out, rows) {
  let labelWidth = 0;
  let valueWidth = 0;
  for (const [label, value] of rows) {
    labelWidth = Math.max(labelWidth, label.length);
    valueWidth = Math.max(valueWidth, value.length);
  }
  for (const [label, value] of rows) inPanel(out, label + spaces(labelWidth + 3 - label.length) + spaces(valueWidth - value.length) + value);
}

// The visit table: pops tries one-line headings first, which take at least 83
// columns and so never fit 80; then two-line headings with gaps of 2, then of
// 1; failing those, each line as a card of label/value pairs.
const HEADING_1 = ['Service', 'Service', '', '', 'Insurance', 'Patient', ''];
const HEADING_2 = ['Date', 'ID', 'Billed', 'Adjusted', 'Paid', 'Paid', 'Remaining'];
const HEADING_WIDTHS = [7, 7, 6, 8, 9, 7, 9];
const LABELS = ['Service Date', 'Service ID', 'Billed', 'Adjusted', 'Insurance Paid', 'Patient Paid', 'Remaining'];
const LABEL_WIDTH = 14;
const INDENT = '    ';

function tableRow(cells, widths, gap) {
  let text = INDENT;
  for (let i = 0; i < cells.length; i += 1) {
    if (i > 0) text += spaces(gap);
    const pad = spaces(widths[i] - cells[i].length);
    text += i < 2 ? cells[i] + pad : pad + cells[i];
  }
  return text;
}

/** Visits grouped facility → provider → patient, each patient's lines by date, encounter and line. */
function visitLines(out, visits) {
  visits.sort(
    (a, b) =>
      byText(a.facility, b.facility) ||
      byText(a.facilityCode, b.facilityCode) ||
      byText(a.provider, b.provider) ||
      byText(a.providerCode, b.providerCode) ||
      byText(a.last, b.last) ||
      byText(a.first, b.first) ||
      byText(a.patientKey, b.patientKey) ||
      byText(a.date, b.date) ||
      a.number - b.number,
  );
  const cells = [];
  const widest = [0, 0, 0, 0, 0, 0, 0];
  for (const e of visits) {
    const served = date(e.date);
    for (const l of e.lines) {
      const row = [served, `${e.number}-${l.line}`, money(l.billed), money(l.adjusted), money(l.insurancePaid), money(l.patientPaid), money(l.remaining)];
      for (let i = 0; i < row.length; i += 1) widest[i] = Math.max(widest[i], row[i].length);
      cells.push(row);
    }
  }
  const widths = HEADING_WIDTHS.map((w, i) => Math.max(w, widest[i]));
  const sum = widths.reduce((a, b) => a + b, 0);
  const room = INNER - INDENT.length;
  const gap = sum + 12 <= room ? 2 : sum + 6 <= room ? 1 : 0;
  const valueWidth = Math.max(...widest);
  const perCardRow = 2 * (LABEL_WIDTH + 1 + valueWidth) + 2 <= room ? 2 : 1;
  const headings = gap > 0 ? [tableRow(HEADING_1, widths, gap), tableRow(HEADING_2, widths, gap)] : [];
  let next = 0;
  for (let i = 0; i < visits.length;) {
    const e = visits[i];
    const before = visits[i - 1];
    const newFacility = before === undefined || e.facilityCode !== before.facilityCode;
    if (newFacility) {
      if (before !== undefined) out.push(BLANK);
      for (const line of wrap(plain(e.facility), INNER)) inPanel(out, line);
    }
    if (newFacility || e.providerCode !== before.providerCode) for (const line of wrap(plain(e.provider), INNER - 2)) inPanel(out, `  ${line}`);
    for (const line of wrap(`Patient: ${plain(fullName(e.first, e.last))}`, INNER - 4)) inPanel(out, `    ${line}`);
    let end = i;
    let count = 0;
    for (
      ;
      end < visits.length &&
      visits[end].facilityCode === e.facilityCode &&
      visits[end].providerCode === e.providerCode &&
      visits[end].patientKey === e.patientKey;
      end += 1
    )
      count += visits[end].lines.length;
    if (gap > 0) {
      inPanel(out, headings[0]);
      inPanel(out, headings[1]);
      for (let r = next; r < next + count; r += 1) inPanel(out, tableRow(cells[r], widths, gap));
    } else {
      for (let r = next; r < next + count; r += 1) {
        if (r > next) out.push(BLANK);
        for (let first = 0; first < LABELS.length; first += perCardRow) {
          let text = INDENT;
          for (let k = first; k < Math.min(first + perCardRow, LABELS.length); k += 1) {
            if (k > first) text += '  ';
            text += LABELS[k] + spaces(LABEL_WIDTH - LABELS[k].length) + ' ' + spaces(valueWidth - cells[r][k].length) + cells[r][k];
          }
          inPanel(out, text);
        }
      }
    }
    next += count;
    i = end;
  }
}

if (isMainThread) makePages(...process.argv.slice(2));
else readAndWrite(workerData.store, workerData.dir);
