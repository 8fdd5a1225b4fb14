/** Pretty JSON as a file would hold it (two-space indent, final newline), so line numbers are predictable. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The 1-based line of the only line of `text` that contains `needle` (throws when absent or ambiguous). */
export function lineOf(text: string, needle: string): number {
  const lines = text.split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`"${needle}" is on ${hits.length} lines`);
  return hits[0]!;
}

/** A markdown file with YAML front matter. */
export function md(frontMatter: string, body = "Do the task.\n"): string {
  return `---\n${frontMatter.trim()}\n---\n${body}`;
}
