import { shellScript } from "../../../model/mcp.js";
import type { McpServer } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { argPointer, at, fieldPointer, MCP_OWASP, name, servers, show } from "./util.js";

/** Shell syntax in arguments that only means something when a shell reads them. */
const PIPE_TO_SHELL =
  /\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k|c|tc|fi)?sh|iex|invoke-expression|python[0-9.]*|node|perl|ruby|php)(?![\w.-])/i;
const DOWNLOAD_PIPE = /\b(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^|]*\|/i;

/** Why a server's launch hands text to a shell: each reason keyed so an unchanged launch is not re-reported. */
export function shellRisks(server: McpServer): { key: string; text: string; argIndex: number }[] {
  const out: { key: string; text: string; argIndex: number }[] = [];
  const shell = shellScript(server.command, server.args);
  if (shell) {
    out.push({
      key: `shell:${shell.shell}:${shell.script}`,
      text: `runs \`${shell.shell} ${shell.flag}\` with the script \`${show(shell.script, 120)}\``,
      argIndex: shell.flagIndex + 1,
    });
  }
  const line = [server.command ?? "", ...server.args].join(" ");
  if (!line.includes("|") && !line.includes("$(") && !line.includes("`")) return out;
  const argWith = (needle: string) => server.args.findIndex((a) => a.includes(needle));
  const withText = (needle: string) => server.args.filter((a) => a.includes(needle)).join("\u0000");
  const pipe = PIPE_TO_SHELL.exec(line);
  if (pipe) {
    const download = DOWNLOAD_PIPE.exec(line);
    out.push({
      key: `pipe:${download ? download[0] : ""}${pipe[0]}`,
      text: download
        ? "pipes a download into an interpreter (the `curl … | sh` pattern)"
        : `pipes text into a shell or interpreter (\`${show(pipe[0], 40)}\`)`,
      argIndex: argWith("|"),
    });
  }
  if (line.includes("$("))
    out.push({
      key: `subst:${withText("$(")}`,
      text: "contains `$(…)` command substitution",
      argIndex: argWith("$("),
    });
  if (line.split("`").length > 2)
    out.push({
      key: `tick:${withText("`")}`,
      text: "contains backtick command substitution",
      argIndex: argWith("`"),
    });
  return out;
}

/**
 * MCP-005: the server is started through a shell (`sh -c`, `cmd /c`, `powershell -Command`) or its
 * arguments carry shell syntax: what runs is a script, not one reviewed program, and it can fetch and
 * execute anything. Windows `cmd /c npx …` wrappers fire too: prefer the plain command (clients resolve
 * `npx.cmd` themselves) or suppress with a reason.
 */
export const mcp005: RiskRule = {
  id: "MCP-005",
  title: "MCP server launched through a shell",
  threat: "privilege-escalation",
  severity: "critical",
  trigger:
    "A new or changed MCP server command is a shell (sh, bash, zsh, cmd, powershell, pwsh) given a script with -c, /c or -Command, or its arguments pipe into a shell, use $(…) or backticks, or pipe a download into an interpreter (`curl … | sh`).",
  fix: "Launch the server program directly with a pinned package and plain arguments; if a wrapper script is unavoidable, commit it to the repository, call it by path, and suppress this finding with a reason.",
  owasp: MCP_OWASP,
  atlas: ["AML.T0050", "AML.T0053"],
  check(file) {
    const { before, after } = servers(file);
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      const prev = before.get(server.key);
      const known = new Set(prev ? shellRisks(prev).map((r) => r.key) : []);
      const risks = shellRisks(server).filter((r) => !known.has(r.key));
      if (risks.length === 0) continue;
      const first = risks[0]!;
      const pointer =
        first.argIndex >= 0
          ? argPointer(file, server, first.argIndex)
          : fieldPointer(file, server, ["command"]);
      const subject = prev ? `MCP server ${name(server)} now` : `New MCP server ${name(server)}`;
      out.push(
        at(
          file,
          pointer,
          `${subject} ${risks.map((r) => r.text).join("; ")}: the agent client executes shell code, which can download and run anything with the developer's privileges.`,
        ),
      );
    }
    return out;
  },
};
