import { CLAUDE_HELPERS } from "../../../model/permissions.js";
import type { Hook } from "../../../model/types.js";
import type { FindingSeverity } from "../../../types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { hookPointer, PERM_ATLAS, PERM_OWASP, permSides, show } from "./shared.js";

/** Signs that a command downloads, reaches the network or decodes something to run. */
const NETWORK =
  /\b(?:curl|wget|nc|ncat|netcat|socat|ssh|scp|rsync|ftp|telnet|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b|https?:\/\/|\|\s*(?:ba|z|da)?sh\b|\bbase64\s+(?:-d|--decode)\b|\beval\b/i;
/** Local formatters and linters: the common, low-risk hook. */
const FORMATTER =
  /^(?:npx\s+(?:--no-install\s+)?|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+|uvx\s+|uv\s+run\s+)?(?:prettier|eslint|biome|black|ruff|isort|gofmt|goimports|rustfmt|cargo\s+fmt|clang-format|shfmt|stylelint|markdownlint(?:-cli2)?|dprint|rubocop|swiftformat|ktlint)\b/;

const hookKey = (h: Hook) =>
  `${h.event}\u0000${h.matcher ?? ""}\u0000${h.type}\u0000${h.command ?? ""}\u0000${h.url ?? ""}`;

const WHEN: Record<string, string> = {
  statusLine: "on every status-line refresh",
  subagentStatusLine: "on every subagent status refresh",
  fileSuggestion: "whenever file suggestions are shown",
  policyHelper: "to decide policy",
  notify: "after every agent turn (Codex notify)",
};

function grade(command: string): { severity: FindingSeverity; note: string } {
  if (NETWORK.test(command))
    return { severity: "high", note: " It reaches the network or runs downloaded/decoded code." };
  if (FORMATTER.test(command.trim()))
    return { severity: "medium", note: " It looks like a local formatter or linter." };
  return { severity: "high", note: "" };
}

/**
 * PERM-006: a hook or client-run command added or changed. Claude hooks (`command`, `http`, `mcp_tool`
 * types; `prompt`/`agent` hooks run no command), status line, file-suggestion and policy-helper commands,
 * credential helpers (`apiKeyHelper`, `awsAuthRefresh`, `awsCredentialExport`, `gcpAuthRefresh`,
 * `otelHeadersHelper`), Codex `notify` and `[hooks]`. These run on every developer's machine with their
 * privileges, outside the permission system. Graded: commands that reach the network or run
 * downloaded/decoded code, `http` hooks and helpers high; local formatters/linters and `mcp_tool` hooks
 * medium; other commands high. A hook whose event, matcher and command are unchanged is not reported.
 */
export const perm006: RiskRule = {
  id: "PERM-006",
  title: "Hook or client-run command added or changed",
  threat: "supply-chain",
  severity: "high",
  trigger:
    "The change adds or changes a hook that runs a command, calls a URL or an MCP tool (Claude settings, plugin hooks.json, agent/command front matter, Codex notify/hooks), a status-line or file-suggestion command, or a credential/header helper such as `apiKeyHelper`.",
  fix: "Check what the command does and where it comes from; keep hook scripts in the repository (reviewed like code), avoid network access and downloads in hooks, and pin any tool they run.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const out: RawFinding[] = [];
    const known = new Set(before.perms.hooks.map(hookKey));
    for (const h of after.perms.hooks) {
      if (known.has(hookKey(h))) continue;
      const changed = before.perms.hooks.some(
        (x) => x.event === h.event && (x.matcher ?? "") === (h.matcher ?? ""),
      );
      const verb = changed ? "changed" : "added";
      const when = WHEN[h.event];
      const label = when
        ? `${h.event} command ${verb}`
        : `${h.event} hook ${verb}${h.matcher ? ` (matcher ${show(h.matcher, 60)})` : h.event.endsWith("ToolUse") ? " (every tool)" : ""}`;
      const runs = when ?? `on ${h.event}`;
      if (h.command !== undefined && (h.type === "command" || h.type === "unknown" || when)) {
        const g = grade(h.command);
        out.push({
          ...file.locate(hookPointer(after.data, h)),
          severity: g.severity,
          message: `${label}: runs ${show(h.command)} ${runs}, with the developer's privileges and outside the permission rules.${g.note}`,
        });
      } else if (h.type === "http" && h.url !== undefined) {
        out.push({
          ...file.locate(hookPointer(after.data, h)),
          message: `${label}: POSTs the hook input (tool names, arguments, file paths and contents) to ${show(h.url)} ${runs}.`,
        });
      } else if (h.type === "mcp_tool") {
        out.push({
          ...file.locate(hookPointer(after.data, h)),
          severity: "medium",
          message: `${label}: calls an MCP tool ${runs}, outside the permission rules.`,
        });
      }
    }
    const bHelpers = new Map(before.perms.endpoints.map((e) => [e.key, e.value]));
    for (const e of after.perms.endpoints) {
      if (!CLAUDE_HELPERS.includes(e.key) || bHelpers.get(e.key) === e.value) continue;
      out.push({
        ...file.locate(e.pointer),
        message: `${e.key} ${bHelpers.has(e.key) ? "changed" : "added"}: Claude Code runs ${show(e.value)} as a shell command to produce credentials or headers, at startup and on refresh.`,
      });
    }
    return out;
  },
};
