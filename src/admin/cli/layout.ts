// Plain-text layouts: aligned columns (tables, help) and aligned "key: value" lines.
import { printable } from './display-text.ts';

const COLUMN_GAP = '  ';

/** Rows padded so every column lines up; the last column is never padded. */
export function alignColumns(rows: ReadonlyArray<readonly string[]>): string {
  const cells = rows.map((row) => row.map(printable));
  const columns = Math.max(0, ...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join(COLUMN_GAP)
        .trimEnd(),
    )
    .join('\n');
}

export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return alignColumns([headers, ...rows]);
}

/** A field's value: one line, or several shown under each other (none shows as "-"). */
export type FieldValue = string | readonly string[];

export function formatFields(fields: ReadonlyArray<readonly [label: string, value: FieldValue]>): string {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  const lines: string[] = [];
  for (const [label, value] of fields) {
    const values = typeof value === 'string' ? [value] : value.length === 0 ? ['-'] : value;
    values.forEach((line, index) => {
      const key = index === 0 ? `${label}:` : '';
      lines.push(`${key.padEnd(width)} ${printable(line)}`.trimEnd());
    });
  }
  return lines.join('\n');
}
