import { existsSync, readFileSync } from 'node:fs';
import { AnnealError } from '@anneal/core';

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
  if (!existsSync(file)) throw notFound(file);
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
      throw new AnnealError(
        'DATA',
        `${file}:${i + 1}: expected ${columns.length} fields separated by '${options.delimiter}', found ${cells.length}.`,
        { hint: 'every row needs the same number of fields as the header; quoted delimiters are not supported' },
      );
    }
    rows.push({ line: i + 1, cells });
  });
  if (!columns || rows.length === 0) throw noRows(file, options.header);
  return { columns, rows };
}

/** Data rows in a file without parsing them (blank lines and the header not counted). */
export function countRows(file: string, header: boolean): number {
  if (!existsSync(file)) throw notFound(file);
  const nonBlank = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '').length;
  const rows = Math.max(0, nonBlank - (header ? 1 : 0));
  if (rows === 0) throw noRows(file, header);
  return rows;
}

function notFound(file: string): AnnealError {
  return new AnnealError('DATA', `CSV file not found: ${file}`, {
    hint: '`data.path` is relative to the config file',
  });
}

function noRows(file: string, header: boolean): AnnealError {
  return new AnnealError('DATA', `CSV file has no data rows: ${file}`, {
    hint: header ? 'the file is empty or holds only the header line' : 'the file is empty',
  });
}

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}
