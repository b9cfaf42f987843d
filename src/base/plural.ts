// Messages agree in number: "1 account", "2 accounts", "0 line items".

/** `count` and the noun in the number that agrees with it. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
