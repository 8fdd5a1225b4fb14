import { CLAUDE_HELPERS } from "../../../model/permissions.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { PERM_ATLAS, permSides, show } from "./shared.js";

function effect(key: string, value: string): string | undefined {
  const name = key.replace(/^env\./, "").toUpperCase();
  if (key === "apiKeyHelper")
    return `the API key Claude Code sends with every request now comes from ${show(value)}`;
  if (name === "NO_PROXY") return `requests to ${show(value, 100)} now bypass the proxy`;
  if (name.endsWith("_PROXY"))
    return `all HTTP(S) traffic of the agent — prompts, code, credentials — now goes through proxy ${show(value, 100)}, which can read and alter it`;
  if (name.startsWith("CLAUDE_CODE_USE_")) {
    if (!/^(?:1|true|yes|on)$/i.test(value.trim())) return undefined;
    return `model requests now go to ${name.slice("CLAUDE_CODE_USE_".length).toLowerCase()} instead of the Anthropic API`;
  }
  if (name.endsWith("_ENDPOINT"))
    return `telemetry (which can include prompts and tool details) is now exported to ${show(value, 100)}`;
  if (key === "model_provider") return `Codex now sends model requests through provider "${value}"`;
  return `model requests — prompts, source code, tool results and the API key — now go to ${show(value, 100)}`;
}

/**
 * PERM-009: model or provider endpoint redirected: Claude `env.*_BASE_URL`, `*_ENDPOINT`, proxies
 * (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`), `CLAUDE_CODE_USE_BEDROCK/VERTEX/FOUNDRY`,
 * `apiKeyHelper`; Codex `model_provider`, `model_providers.*.base_url`, `openai_base_url`,
 * `chatgpt_base_url`. Reported when added or changed; removal returns to the default endpoint and is silent.
 * `apiKeyHelper` is also a command PERM-006 reports; here the concern is where the credential comes from.
 */
export const perm009: RiskRule = {
  id: "PERM-009",
  title: "Model or provider endpoint redirected",
  threat: "data-exfiltration",
  severity: "high",
  trigger:
    "The change adds or changes a model/provider base URL (`ANTHROPIC_BASE_URL` and other `*_BASE_URL`, Codex `model_providers.*.base_url`), a proxy, a telemetry endpoint, the provider switch, or `apiKeyHelper`.",
  fix: "Point the agent only at approved model gateways: confirm the host belongs to your organisation or provider, use HTTPS, and record the approval; otherwise remove the override.",
  owasp: ["LLM06", "LLM02"],
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const out: RawFinding[] = [];
    const base = new Map(before.perms.endpoints.map((e) => [e.key, e.value]));
    for (const e of after.perms.endpoints) {
      if (CLAUDE_HELPERS.includes(e.key) && e.key !== "apiKeyHelper") continue;
      const old = base.get(e.key);
      if (old === e.value) continue;
      const what = effect(e.key, e.value);
      if (!what) continue;
      const plain =
        /^http:\/\//i.test(e.value.trim()) &&
        !/^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::|\/|$)/i.test(e.value.trim());
      out.push({
        ...file.locate(e.pointer),
        message: `${e.key} ${old === undefined ? "set" : `changed from ${show(old, 80)}`}: ${what}.${
          plain ? " The URL is plain http://, so the traffic is also readable on the network." : ""
        }`,
      });
    }
    return out;
  },
};
