import { visible } from "./model.js";

/**
 * Escapes text for a GitHub-flavoured markdown table cell: shown as written, without markup, HTML or a cell
 * break. Messages and paths come from the change under review, so nothing in them may render as markdown.
 */
export function cell(s: string): string {
  return (
    visible(s.replace(/\r?\n/g, " "))
      .replace(/&/g, "&amp;")
      .replace(/[\\`*_[\]~]/g, "\\$&")
      .replace(/\|/g, "\\|")
      .replace(/</g, "&lt;")
      // An @name in a message from the change must not notify that user or team: code spans never mention.
      .replace(/(^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9_.-]+)?)/g, "$1`@$2`")
  );
}

/**
 * Inline code in a table cell that survives any backticks in the content: the fence is one backtick longer
 * than the longest run inside. Code spans show backslashes and entities literally, so only the cell
 * delimiter is escaped (GFM removes that backslash before the span is read).
 */
export function code(s: string): string {
  const text = visible(s.replace(/\r?\n/g, " ")).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
