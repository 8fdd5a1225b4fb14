import type { ChangedLine } from "../../types.js";

/** A run of consecutive added lines, joined with `\n`, with the offset where each line starts. */
export interface LineBlock {
  text: string;
  lines: ChangedLine[];
  starts: number[];
}

/**
 * Groups added lines into blocks of consecutive line numbers, so a credential that spans lines (a PEM
 * block) is seen whole while unchanged lines in between never join two added runs.
 */
export function addedBlocks(added: readonly ChangedLine[]): LineBlock[] {
  const blocks: LineBlock[] = [];
  let cur: ChangedLine[] = [];
  const flush = () => {
    if (cur.length === 0) return;
    const starts: number[] = [];
    let at = 0;
    for (const l of cur) {
      starts.push(at);
      at += l.text.length + 1;
    }
    blocks.push({ text: cur.map((l) => l.text).join("\n"), lines: cur, starts });
    cur = [];
  };
  for (const l of added) {
    const prev = cur[cur.length - 1];
    if (prev && l.line !== prev.line + 1) flush();
    cur.push(l);
  }
  flush();
  return blocks;
}

/** Line number and 1-based column of an offset in a block (binary search over line starts). */
export function positionIn(block: LineBlock, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = block.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((block.starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: block.lines[lo]?.line ?? 1, column: offset - (block.starts[lo] ?? 0) + 1 };
}

/**
 * The head line where `needle` was added, preferring lines at or after `from` (the entity's own line, so the
 * same value in two servers points at the right one); `fallback` when no added line holds it.
 */
export function addedLineWith(
  added: readonly ChangedLine[],
  needle: string | RegExp,
  from: number,
  fallback: number,
): number {
  const has = (t: string) => (typeof needle === "string" ? t.includes(needle) : needle.test(t));
  let first: number | undefined;
  for (const l of added) {
    if (!has(l.text)) continue;
    if (l.line >= from) return l.line;
    first ??= l.line;
  }
  return first ?? fallback;
}

/** A regex matching `name` as a key (`"name":`, `name =`, `name:`), for locating keys without a pointer. */
export function keyPattern(name: string): RegExp {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?:^|[^A-Za-z0-9_-])["']?${esc}["']?\\s*[:=]`);
}
