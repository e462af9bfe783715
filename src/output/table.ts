// Aligned columns for human output. Widths come from the plain text (colour is painted on after the
// padding is worked out), and a row's last cell is never padded and never widens a column, so one
// long note or error does not push every other line out.
export type Paint = (cell: string, row: number, col: number) => string;

export function table(rows: readonly (readonly string[])[], indent = '', paint?: Paint): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row, r) => {
      const cells = row.map((cell, c) => {
        const shown = paint ? paint(cell, r, c) : cell;
        return c === row.length - 1 ? shown : shown + ' '.repeat((widths[c] ?? 0) - [...cell].length);
      });
      return (indent + cells.join('  ')).trimEnd();
    })
    .join('\n');
}
