// Short topics for `pops help <topic>`; the full pages are in docs/.

export interface HelpTopic {
  name: string;
  summary: string;
  text: string;
}

export const HELP_TOPICS: readonly HelpTopic[] = [
  {
    name: 'formats',
    summary: 'money, dates, phones; the dump and the groups apply files',
    text: `Formats (full page: docs/formats.md)

Money     JSON and CSV: a string with two decimals, "1234.56", "-12.00".
          Screens: $1,234.56 and -$12.00. Input: at most two decimals
          (--min-total also as on screen: $1,000.50).
Dates     JSON and CSV: YYYY-MM-DD. Screens and previews: MM/DD/YYYY.
Phones    Footer numbers are North American numbers, any common spelling:
          312-555-0142, (312) 555-0142, +1 312 555 0142, 3125550142 x12,
          tel:+1-312-555-0142. Extensions: 1 to 6 digits.
          JSON and CSV carry E.164 (+13125550142;ext=12); screens show
          (312) 555-0142 ext. 12.
Output    Data on stdout, messages on stderr. --json: UTF-8, 2-space indent,
          one document. --csv: a header row, RFC 4180 quoting; a text cell
          that begins with = + - @ gets a leading ' (apply takes it off).

The dump (pops export, pops import): {"format": "pops-dump", "version": 1,
  "groups": […], "collectionAgencies": […], "facilities": […],
  "providers": […], "accounts": […]}. Import checks the whole document and
  writes nothing when anything is wrong.

groups apply: JSON {"groups": [{"name": "…", "<setting>": …}]} (or a bare
  array), or CSV with a header of name and setting names. Settings not
  given stay as they are. In CSV an empty cell leaves a setting unchanged
  and a cell of - clears an optional one. pops groups export writes the
  same format.
`,
  },
  {
    name: 'balances',
    summary: 'how collection, non-collection and amount due are computed',
    text: `Balances (full page: docs/balances.md)

line remaining          billed - adjusted - insurance paid - patient paid
encounter balance       the sum of its lines' remaining
collection balance      encounters in collections
pre-collections         encounters in pre-collections
non-collection balance  encounters open or in pre-collections
total balance           collection + non-collection
amount due              latest statement's amount due minus payments since
                        it (never below 0), plus new charges since it when
                        the group has "Include new charges in Amount Due" on;
                        a declined payment counts in nothing
current balance         the non-collection balance (what the portal shows)
payable online          the non-collection balance, never below 0

A collection balance is never payable online. The Account page shows the
Collection Balance panel only when the group has Show Collections on and
the collection balance is above zero; it tells the patient to call the
group's footer number. The Pay page never offers an amount in collections
(docs/portal.md).
`,
  },
  {
    name: 'exit-codes',
    summary: 'what each exit code means',
    text: `Exit codes (full page: docs/exit-codes.md)

0   success
1   a check found differences or problems (preview --check, doctor)
2   invalid usage or invalid input; nothing was written
3   the named group or account does not exist
4   the store cannot be used: missing, busy past the wait, corrupt,
    read-only, or of a newer schema than this program
5   cancelled: a prompt aborted, Ctrl-C, or a confirmation declined
70  internal error (a bug): run again with POPS_DEBUG=1 and report it
130 Ctrl-C while a command works (143 SIGTERM, 129 a closed terminal):
    nothing half-written is left

Errors are one line on stderr, "pops: <message>", sometimes with a hint
line under it.
`,
  },
];

export function topicList(): string {
  return HELP_TOPICS.map((topic) => topic.name).join(', ');
}
