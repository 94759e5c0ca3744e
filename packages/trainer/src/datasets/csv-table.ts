import { existsSync, readFileSync } from 'node:fs';

/** A parsed delimited file: column names and the data rows, each with its 1-based line number. */
export interface Table {
  columns: string[];
  rows: { line: number; cells: string[] }[];
}

/**
 * Reads a small delimited file. Deliberately simple — split on the delimiter, trim, drop one
 * pair of surrounding double quotes — because the data here are numeric tables; a quoted
 * field containing the delimiter is not supported (the column-count check catches it).
 * Blank lines are skipped; without a header, columns are named by their 0-based index.
 */
export function readTable(file: string, options: { header: boolean; delimiter: string }): Table {
  if (!existsSync(file)) throw new Error(`CSV file not found: ${file}`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const split = (text: string) => text.split(options.delimiter).map(unquote);
  const rows: Table['rows'] = [];
  let columns: string[] | undefined;
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    if (!columns && options.header) {
      columns = split(text);
      return;
    }
    const cells = split(text);
    columns ??= cells.map((_, c) => String(c));
    if (cells.length !== columns.length) {
      throw new Error(
        `${file}:${i + 1}: expected ${columns.length} fields separated by '${options.delimiter}', found ${cells.length}.`,
      );
    }
    rows.push({ line: i + 1, cells });
  });
  if (!columns || rows.length === 0) throw new Error(`CSV file has no data rows: ${file}`);
  return { columns, rows };
}

/** Data rows in a file without parsing them (blank lines and the header not counted). */
export function countRows(file: string, header: boolean): number {
  if (!existsSync(file)) throw new Error(`CSV file not found: ${file}`);
  const nonBlank = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '').length;
  return Math.max(0, nonBlank - (header ? 1 : 0));
}

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}
