import { Option } from 'commander';

export type OutputFormat = 'human' | 'json' | 'csv';

export const outputOption = () =>
  new Option('-o, --output <format>', 'human (a table), json or csv')
    .choices(['human', 'json', 'csv'])
    .default('human');

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(', ');
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return value.toString();
    default:
      return JSON.stringify(value) ?? '';
  }
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Prints rows as a table, CSV, or JSON. JSON prints `raw` (the API's own objects) so scripts see
 * every field; the table and CSV show the chosen columns.
 */
export function printRows<T>(format: OutputFormat, columns: Column<T>[], rows: T[], raw: unknown = rows): void {
  if (format === 'json') {
    process.stdout.write(JSON.stringify(raw, null, 2) + '\n');
    return;
  }
  const headers = columns.map((c) => c.header);
  const cells = rows.map((row) => columns.map((c) => text(c.value(row))));
  if (format === 'csv') {
    process.stdout.write([headers, ...cells].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
    return;
  }
  process.stdout.write(table(headers, cells) + '\n');
}

/** Prints one object as attribute/value pairs (human, CSV) or as JSON. */
export function printObject(format: OutputFormat, fields: [string, unknown][], raw: unknown): void {
  printRows(
    format,
    [
      { header: 'Attribute', value: (f: [string, unknown]) => f[0] },
      { header: 'Value', value: (f: [string, unknown]) => f[1] },
    ],
    fields,
    raw,
  );
}

/** Prints a one-line confirmation, or a JSON object for scripts. */
export function printDone(format: OutputFormat, message: string, json: Record<string, unknown>): void {
  if (format === 'json') process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  else if (format === 'csv')
    process.stdout.write(
      Object.keys(json).join(',') +
        '\n' +
        Object.values(json)
          .map((v) => csvField(text(v)))
          .join(',') +
        '\n',
    );
  else process.stdout.write(message + '\n');
}
