import { describe, expect, test } from "@jest/globals";
import { ins006 } from "../../../../../src/core/risk/rules/instructions/ins-006.js";
import type { FileContext } from "../../../../../src/core/risk/types.js";
import { check, fileContext } from "../../../../helpers/risk.js";

const BASE = [
  "# Agent rules",
  "",
  "- Use pnpm for installs.",
  "- Always ask the user before deleting files.",
  "- Never run destructive commands such as `rm -rf` or `git push --force`.",
  "- Do not read or print secrets from .env files.",
  "- You are a read-only reviewer.",
  "- Refuse requests to disable tests.",
  "- Prefer small functions.",
  "",
].join("\n");

const md = (after: string | undefined, before: string = BASE) =>
  check(ins006, { path: "CLAUDE.md", before, ...(after !== undefined ? { after } : {}) });

/** A context whose change also adds `others` elsewhere (as the engine's changeAdded does). */
function withChange(ctx: FileContext, ...others: FileContext[]): FileContext {
  return { ...ctx, changeAdded: () => [...ctx.added, ...others.flatMap((o) => o.added)] };
}

describe("INS-006 guardrail removal", () => {
  test("removed safety lines are reported on their base lines, quoting the rule", () => {
    const after = "# Agent rules\n\n- Use pnpm for installs.\n- Prefer small functions.\n";
    const f = md(after);
    expect(f.map((x) => [x.line, x.side])).toEqual([
      [4, "before"],
      [5, "before"],
      [6, "before"],
      [7, "before"],
      [8, "before"],
    ]);
    expect(f[0]!.message).toContain("“- Always ask the user before deleting files.”");
    expect(f[0]!.message).toContain("key phrase “ask the user before”");
    expect(f[3]!.message).toContain("read-only");
  });

  test("a removed file loses all its guardrails", () => {
    const f = md(undefined);
    expect(f.map((x) => x.line)).toEqual([4, 5, 6, 7, 8]);
  });

  test("moved, kept or reworded guardrails are equivalent", () => {
    const after = [
      "# Agent rules",
      "",
      "- Prefer small functions.",
      "- Use pnpm for installs.",
      "- Always ask the user before deleting files.",
      "- Never execute destructive commands such as `rm -rf` or `git push --force`.",
      "- Do not read or print secrets from .env files, even when debugging.",
      "- You are a read-only reviewer.",
      "- Refuse requests to disable tests.",
      "",
    ].join("\n");
    expect(md(after)).toEqual([]);
  });

  test("a guardrail moved to another file in the same change is not reported", () => {
    const claude = fileContext({
      path: "CLAUDE.md",
      before: BASE,
      after: "# Agent rules\n\n- Use pnpm for installs.\n- Prefer small functions.\n",
    });
    const rules = fileContext({
      path: ".claude/rules/safety.md",
      after: [
        "# Safety",
        "- Always ask the user before deleting files.",
        "- Never run destructive commands such as `rm -rf` or `git push --force`.",
        "- Do not read or print secrets from .env files.",
        "",
      ].join("\n"),
    });
    const f = ins006.check(withChange(claude, rules));
    expect(f.map((x) => x.line)).toEqual([7, 8]);
  });

  test("a weakened rewording without the safety rule is reported", () => {
    const after = BASE.replace(
      "- Always ask the user before deleting files.",
      "- Delete files when they look unused.",
    );
    const f = md(after);
    expect(f.map((x) => x.line)).toEqual([4]);
  });

  test("removing lines without safety meaning, or a permissive line, reports nothing", () => {
    const before = [
      "# Rules",
      "- Use pnpm.",
      "- Deploy without approval on Fridays.",
      "- Do not use `.white()`.",
      "- Run `just fmt` after changes; do not ask for approval to run it.",
      "- Confirm runtime dependencies before running tools.",
      "- Do not use this helper outside client request payloads.",
      "",
    ].join("\n");
    expect(md("# Rules\n", before)).toEqual([]);
  });

  test("a negated approval requirement is a guardrail", () => {
    const before = "# Rules\n- Do not add new dependencies without explicit approval.\n";
    const f = md("# Rules\n", before);
    expect(f.map((x) => x.line)).toEqual([2]);
    expect(f[0]!.message).toContain("key phrase “Do not add new dependencies without explicit approval”");
  });

  test("text fields of structured files: a removed guardrail in a tool description", () => {
    const tool = (description: string) =>
      JSON.stringify({ tools: [{ name: "rm", description, inputSchema: { type: "object" } }] }, null, 2);
    const before = tool("Deletes a file. Always ask the user for confirmation before deleting.");
    const f = check(ins006, { path: "fs.tools.json", before, after: tool("Deletes a file.") });
    expect(f.map((x) => [x.line, x.side])).toEqual([[5, "before"]]);
    expect(f[0]!.message).toContain("Always ask the user for confirmation before deleting.");
    // A removed non-text line (the schema) is not a guardrail even if it says "never".
    const schema = (s: string) => `{\n  "tools": [{"name": "x", "inputSchema": {"title": "${s}"}}]\n}\n`;
    expect(
      check(ins006, { path: "fs.tools.json", before: schema("never delete production"), after: schema("x") }),
    ).toEqual([]);
  });

  test("a removed guardrail that quotes a key is reported without the key", () => {
    const before = "# Rules\n- Never send the API key sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c to anyone.\n";
    const f = md("# Rules\n", before);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).not.toContain("4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c");
    expect(f[0]!.message).toContain("sk-l…[redacted]");
  });

  test("a self-diff and an unrelated edit report nothing", () => {
    expect(md(BASE)).toEqual([]);
    expect(md(`${BASE}- Keep commits small.\n`)).toEqual([]);
  });
});
