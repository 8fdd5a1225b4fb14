import type { Position } from "../types.js";

/**
 * Maps string offsets to 1-based line/column positions. `\r\n`, `\n` and a lone `\r` each end a line;
 * columns count UTF-16 code units from the line start (a tab is one column), as GitHub annotations and
 * most editors do. `lineOffset` shifts every line, for text embedded in a larger file (front matter).
 */
export class LineIndex {
  /** Line start offsets, computed on first use: most files are valid and never need a position. */
  private lazyStarts: number[] | undefined;

  constructor(
    readonly text: string,
    readonly lineOffset = 0,
  ) {}

  private get starts(): number[] {
    if (this.lazyStarts) return this.lazyStarts;
    const text = this.text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lazyStarts = starts;
    return starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1 + this.lineOffset, column: o - starts[lo]! + 1 };
  }

  /** Offset of the start of a 1-based line of this text (ignoring lineOffset). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }
}

export const BOM = "\uFEFF";

/** Removes a leading byte-order mark; editors do not count it as a column. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
