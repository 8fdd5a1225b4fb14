/**
 * Credential detection shared by the secrets and MCP rules: known key formats (structural anchors such as
 * fixed prefixes, embedded markers and exact lengths, after a literal prefilter), placeholder recognition,
 * secret-looking names, entropy and redaction. Every regular expression here is linear-time: bounded or
 * non-overlapping quantifiers only, run after a cheap `includes` prefilter.
 */

export interface SecretHit {
  /** What the credential is: "OpenAI API key", "GitHub token"… */
  kind: string;
  /** Offsets of the credential in the scanned text (`end` exclusive). */
  start: number;
  end: number;
  /** Redacted form for messages, e.g. `sk-proj-…Ab3f (164 chars)`: never the whole value. */
  fingerprint: string;
  /** `known-format`: a provider's documented shape; `generic`: credential-shaped but unattributed (JWT). */
  confidence: "known-format" | "generic";
}

interface Detector {
  kind: string;
  /** Literal substrings, one of which must occur in the text before the regex runs (case-sensitive). */
  prefilter: readonly string[];
  /** Global regex; group 1, when present, is the credential (otherwise the whole match). */
  re: RegExp;
  confidence?: SecretHit["confidence"];
  /** Further structural checks on the credential (markers, suffixes). */
  accept?: (value: string) => boolean;
  /** How many leading characters the fingerprint may show (the public prefix). */
  prefix?: (value: string) => number;
  /** A fingerprint that shows no key material at all (PEM blocks). */
  fingerprint?: (value: string) => string;
}

const END = "(?![A-Za-z0-9_-])";
const START = "(?<![A-Za-z0-9_-])";
const OPENAI_MARKER = "T3BlbkFJ";

const DETECTORS: readonly Detector[] = [
  {
    kind: "OpenAI API key",
    prefilter: ["sk-proj-", "sk-svcacct-", "sk-admin-"],
    re: new RegExp(`${START}sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}${END}`, "g"),
    accept: (v) => v.includes(OPENAI_MARKER),
    prefix: (v) => v.indexOf("-", 3) + 1,
  },
  {
    kind: "OpenAI API key (legacy)",
    prefilter: [OPENAI_MARKER],
    re: new RegExp(`${START}sk-[A-Za-z0-9]{20}${OPENAI_MARKER}[A-Za-z0-9]{20}${END}`, "g"),
    prefix: () => 3,
  },
  {
    kind: "Anthropic API key",
    prefilter: ["sk-ant-api", "sk-ant-admin"],
    re: new RegExp(`${START}sk-ant-(?:api|admin)\\d\\d-[A-Za-z0-9_-]{80,130}${END}`, "g"),
    accept: (v) => v.endsWith("AA"),
    prefix: (v) => v.indexOf("-", 7) + 1,
  },
  {
    kind: "Anthropic OAuth token",
    prefilter: ["sk-ant-o"],
    re: new RegExp(`${START}sk-ant-o(?:at|rt)\\d\\d-[A-Za-z0-9_-]{60,200}${END}`, "g"),
    prefix: (v) => v.indexOf("-", 7) + 1,
  },
  {
    kind: "OpenRouter API key",
    prefilter: ["sk-or-v1-"],
    re: new RegExp(`${START}sk-or-v1-[a-f0-9]{64}${END}`, "g"),
    prefix: () => 9,
  },
  {
    kind: "Google API key",
    prefilter: ["AIza"],
    re: new RegExp(`${START}AIza[0-9A-Za-z_-]{35}${END}`, "g"),
    prefix: () => 4,
  },
  {
    kind: "AWS access key ID",
    prefilter: ["AKIA", "ASIA", "ABIA", "ACCA"],
    re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/g,
    prefix: () => 4,
  },
  {
    kind: "AWS secret access key",
    prefilter: ["ecret", "ECRET"],
    // The 40-character key next to its conventional name (env var, credentials file, JSON/YAML key).
    re: /(?:aws_?)?secret_?access_?key["']?\s{0,4}[:=]\s{0,4}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    accept: (v) => /[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v),
    prefix: () => 0,
  },
  {
    kind: "GitHub token",
    prefilter: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    re: new RegExp(`${START}gh[pousr]_[A-Za-z0-9]{36}${END}`, "g"),
    prefix: () => 4,
  },
  {
    kind: "GitHub fine-grained token",
    prefilter: ["github_pat_"],
    re: new RegExp(`${START}github_pat_[A-Za-z0-9_]{82}${END}`, "g"),
    prefix: () => 11,
  },
  {
    kind: "Slack token",
    prefilter: ["xox"],
    re: new RegExp(`${START}xox[abpors]-[0-9]{6,15}-[A-Za-z0-9-]{8,250}${END}`, "g"),
    prefix: () => 5,
  },
  {
    kind: "Slack app token",
    prefilter: ["xapp-"],
    re: new RegExp(`${START}xapp-\\d-[A-Z0-9]{6,15}-\\d{6,15}-[A-Za-z0-9]{20,100}${END}`, "g"),
    prefix: () => 5,
  },
  {
    kind: "Slack webhook URL",
    prefilter: ["hooks.slack.com/"],
    re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,12}\/[A-Z0-9]{6,14}\/[A-Za-z0-9/]{16,80}/g,
    prefix: () => 27,
  },
  {
    kind: "Stripe secret key",
    prefilter: ["k_live_"],
    re: new RegExp(`${START}[sr]k_live_[A-Za-z0-9]{20,247}${END}`, "g"),
    prefix: () => 8,
  },
  {
    kind: "Groq API key",
    prefilter: ["gsk_"],
    re: new RegExp(`${START}gsk_[A-Za-z0-9]{52}${END}`, "g"),
    prefix: () => 4,
  },
  {
    kind: "xAI API key",
    prefilter: ["xai-"],
    re: new RegExp(`${START}xai-[A-Za-z0-9]{80}${END}`, "g"),
    prefix: () => 4,
  },
  {
    kind: "Hugging Face token",
    prefilter: ["hf_", "api_org_"],
    re: new RegExp(`${START}(?:hf_|api_org_)[A-Za-z0-9]{34}${END}`, "g"),
    prefix: (v) => (v.startsWith("hf_") ? 3 : 8),
  },
  {
    kind: "Perplexity API key",
    prefilter: ["pplx-"],
    re: new RegExp(`${START}pplx-[A-Za-z0-9]{48}${END}`, "g"),
    prefix: () => 5,
  },
  {
    kind: "Replicate API token",
    prefilter: ["r8_"],
    re: new RegExp(`${START}r8_[A-Za-z0-9]{37}${END}`, "g"),
    prefix: () => 3,
  },
  {
    kind: "LangSmith API key",
    prefilter: ["lsv2_"],
    re: new RegExp(`${START}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${END}`, "g"),
    prefix: () => 8,
  },
  {
    kind: "private key",
    prefilter: ["PRIVATE KEY-----"],
    // The header must be followed by key material (possibly after JSON-escaped or real line breaks), so a
    // sentence that merely mentions the header is not a key.
    re: /-----BEGIN[A-Z0-9 ]{0,30} PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr]){0,8}(?:[A-Za-z-]{1,20}: [^\n]{0,200}(?:\s|\\[nr]){1,8}){0,4}[A-Za-z0-9+/]{40}/g,
    fingerprint: (v) => `${v.slice(0, v.indexOf("-----", 5) + 5)} block`,
  },
  {
    kind: "JSON Web Token",
    prefilter: ["eyJ"],
    re: new RegExp(
      `${START}eyJ[A-Za-z0-9_-]{10,2000}\\.eyJ[A-Za-z0-9_-]{10,4000}\\.[A-Za-z0-9_-]{10,1000}${END}`,
      "g",
    ),
    confidence: "generic",
    prefix: () => 3,
  },
];

/** Every detector's literal keywords in one pass: most text contains none and is done after one scan. */
const ANY_PREFILTER = new RegExp(
  [...new Set(DETECTORS.flatMap((d) => d.prefilter))]
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|"),
);

/** Credentials of a known provider format anywhere in `text` (plus JWTs, as `generic`), in text order. */
export function findSecrets(text: string): SecretHit[] {
  if (typeof text !== "string" || text.length < 20) return [];
  if (!ANY_PREFILTER.test(text)) return [];
  const hits: SecretHit[] = [];
  for (const d of DETECTORS) {
    if (!d.prefilter.some((p) => text.includes(p))) continue;
    d.re.lastIndex = 0;
    for (const m of text.matchAll(d.re)) {
      const value = m[1] ?? m[0];
      const start = (m.index ?? 0) + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
      if (d.accept && !d.accept(value)) continue;
      if (isPlaceholder(value)) continue;
      const keep = d.prefix ? d.prefix(value) : 0;
      hits.push({
        kind: d.kind,
        start,
        end: start + value.length,
        fingerprint: d.fingerprint ? d.fingerprint(value) : redact(value, keep),
        confidence: d.confidence ?? "known-format",
      });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  // One credential, one hit: drop hits nested inside an earlier, longer one.
  const out: SecretHit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (last && h.start < last.end) continue;
    out.push(h);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Placeholders

/** Variable and template references: `${VAR}`, `${env:X}`, `${input:x}`, `${{ secrets.X }}`, `{{ x }}`, `%VAR%`, `@VAR@`, `$VAR`. */
const REFERENCE =
  /\$\{[^}\n]{1,200}\}|\{\{[^}\n]{1,200}\}\}|%[A-Za-z_][A-Za-z0-9_]{0,100}%|@[A-Z_][A-Z0-9_]{0,100}@|\$[A-Za-z_][A-Za-z0-9_]{0,100}|\$\([^)\n]{1,200}\)/;
/** Secret-manager references, not secrets themselves. */
const SECRET_MANAGER =
  /^(?:op|vault|keychain|secret|secrets|env|awssm|gcpsm|azkv|doppler|infisical|bws|pass):/i;
/** Words that mark an example or stand-in value, in lower, upper or capitalised form (random keys rarely spell them). */
const PLACEHOLDER_WORDS =
  /your|example|placeholder|replace|changeme|change_me|change-me|dummy|redacted|fake|sample|insert|todo|here/gi;

function hasPlaceholderWord(v: string): boolean {
  PLACEHOLDER_WORDS.lastIndex = 0;
  for (let m = PLACEHOLDER_WORDS.exec(v); m !== null; m = PLACEHOLDER_WORDS.exec(v)) {
    const w = m[0];
    const rest = w.slice(1);
    if (
      w === w.toLowerCase() ||
      w === w.toUpperCase() ||
      (rest === rest.toLowerCase() && w[0] === w[0]?.toUpperCase())
    )
      return true;
    PLACEHOLDER_WORDS.lastIndex = m.index + 1;
  }
  return false;
}
const SEQUENCES = ["0123456789", "123456789", "abcdefghij", "ABCDEFGHIJ", "1234567890"];
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|apikey|api-key)\s+/i;

/**
 * Whether `value` stands in for a secret rather than being one: variable references (`${VAR}`, `${env:X}`,
 * `${input:x}`, `$VAR`, `{{ x }}`, `${{ secrets.X }}`, `%VAR%`, `@VAR@`), `<token>`, `YOUR_API_KEY`,
 * `xxxx`/`****` fillers, ellipses (`sk-...`), `changeme`, `[REDACTED]`, secret-manager references
 * (`op://…`), code reading the environment (`process.env.X`), an upper-case variable name as the value
 * (`COPILOT_MCP_API_KEY`), booleans/null, a single repeated character and counting sequences.
 */
export function isPlaceholder(value: string): boolean {
  if (typeof value !== "string") return true;
  let v = value.trim().replace(/^["'`]|["'`]$/g, "");
  v = v.replace(AUTH_SCHEME, "");
  if (v === "") return true;
  if (/^(?:true|false|null|none|nil|undefined|\*+|-+|\.+)$/i.test(v)) return true;
  if (REFERENCE.test(v) || /^\$\{/.test(v)) return true;
  if (SECRET_MANAGER.test(v)) return true;
  // Code that reads a variable (`process.env.TOKEN`, `os.environ["KEY"]`, `os.getenv("KEY")`).
  if (/process\.env|os\.environ|getenv\(|System\.getenv|Environment\.GetEnvironmentVariable/.test(v))
    return true;
  // A variable's name as the value (`COPILOT_MCP_OPIK_API_KEY`, `GITHUB_TOKEN`): how some clients name secrets.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) && /[A-Z]{2}/.test(v)) return true;
  if (/<[^<>\n]{1,100}>/.test(v) || /\[[A-Z _-]{0,40}REDACTED[^\]]{0,40}\]/i.test(v)) return true;
  if (v.includes("...") || v.includes("…")) return true;
  if (/xxxx|XXXX|\*\*\*\*|####|____|\.\.\.\./.test(v)) return true;
  if (hasPlaceholderWord(v)) return true;
  if (SEQUENCES.some((s) => v.includes(s))) return true;
  // A provider prefix followed by one repeated character (`ghp_aaaa…`, `sk-0000…`).
  const body = v.replace(/^[A-Za-z0-9]{1,12}[_-](?:[A-Za-z0-9]{1,8}[_-])?/, "");
  if (body.length > 0 && /^(.)\1*$/.test(body)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Names

/** Final name parts that make a name secret-looking on their own. */
const SECRET_LAST = new Set([
  "token",
  "secret",
  "secrets",
  "apikey",
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "credential",
  "credentials",
  "creds",
  "pat",
  "authorization",
  "auth",
  "cookie",
  "accesskey",
  "secretkey",
  "privatekey",
  "apitoken",
  "authtoken",
  "accesstoken",
  "refreshtoken",
  "sessiontoken",
  "bearer",
]);
/** `…_KEY` names that are not secrets. */
const BENIGN_KEY_BEFORE = new Set([
  "public",
  "publishable",
  "sort",
  "primary",
  "partition",
  "cache",
  "idempotency",
  "foreign",
  "shortcut",
  "keyboard",
  "hot",
  "map",
  "lookup",
  "group",
  "index",
  "dedup",
  "dedupe",
  "unique",
  "routing",
  "row",
  "hash",
  "object",
  "s3",
  "bucket",
  "storage",
  "config",
  "translation",
  "i18n",
  "label",
  "license",
]);
/** Final name parts that name something about a secret rather than the secret itself. */
const NOT_A_VALUE = new Set([
  "name",
  "names",
  "arn",
  "ref",
  "path",
  "file",
  "dir",
  "id",
  "url",
  "uri",
  "endpoint",
  "type",
  "manager",
  "store",
  "provider",
  "version",
  "count",
  "limit",
  "length",
  "len",
  "max",
  "min",
  "size",
  "header",
  "env",
  "var",
  "field",
  "prefix",
  "helper",
  "command",
  "cmd",
  "expiry",
  "expires",
  "ttl",
  "region",
  "output",
  "pager",
  "mode",
  "format",
  "location",
  "scope",
  "scopes",
  "budget",
  "budgets",
  "usage",
  "enabled",
  "required",
]);

/** Splits `GITHUB_TOKEN`, `x-api-key`, `clientSecret`, `OpenAIKey` into lower-case parts. */
function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p !== "");
}

/**
 * Whether an env var, header, flag or key name conventionally holds a credential: `*_TOKEN`, `*_API_KEY`,
 * `*_SECRET`, `*PASSWORD*`, `AWS_*` (credentials, profile), `GITHUB_TOKEN`, `Authorization`, `X-Api-Key`,
 * `--api-key`, `clientSecret`. Names about a secret (`TOKEN_URL`, `SECRET_NAME`, `MAX_TOKENS`) are not.
 */
export function isSecretName(name: string): boolean {
  if (typeof name !== "string" || name.length > 200) return false;
  const cached = NAME_CACHE.get(name);
  if (cached !== undefined) return cached;
  const result = judgeName(name);
  if (NAME_CACHE.size >= 2000) NAME_CACHE.clear();
  NAME_CACHE.set(name, result);
  return result;
}

/** Names repeat across lines and files (`api_key`, `GITHUB_TOKEN`): judged once each. */
const NAME_CACHE = new Map<string, boolean>();

function judgeName(name: string): boolean {
  const parts = nameParts(name);
  const last = parts[parts.length - 1];
  if (last === undefined) return false;
  if (parts.length === 1 && last === "pwd") return false; // the shell's working directory
  if (parts[0] === "aws" && parts.length > 1) return !NOT_A_VALUE.has(last) || parts.includes("key");
  if (NOT_A_VALUE.has(last)) return false;
  if (parts.some((p) => p.includes("password") || p.includes("passwd") || p.includes("passphrase")))
    return true;
  if (SECRET_LAST.has(last)) return true;
  if (/(?:token|secret|apikey|accesskey|secretkey|privatekey)$/.test(last) && last !== "tokens") return true;
  if (last === "key") {
    const before = parts[parts.length - 2];
    return before !== undefined && !BENIGN_KEY_BEFORE.has(before);
  }
  return parts.includes("secret") && last !== "tokens";
}

// ---------------------------------------------------------------------------------------------------------
// Entropy and redaction

/** Shannon entropy of `value` in bits per character. */
export function shannonEntropy(value: string): number {
  if (typeof value !== "string" || value.length === 0) return 0;
  // Counts in a reused table (reset after use): no allocation per call for BMP text.
  const touched: number[] = [];
  let astral: Map<number, number> | undefined;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.codePointAt(i) ?? 0;
    if (c > 0xffff) {
      i++; // the low surrogate belongs to this code point
      astral ??= new Map();
      astral.set(c, (astral.get(c) ?? 0) + 1);
    } else {
      if (COUNTS[c] === 0) touched.push(c);
      COUNTS[c] = (COUNTS[c] ?? 0) + 1;
    }
    n++;
  }
  let h = 0;
  for (const c of touched) {
    const p = (COUNTS[c] ?? 0) / n;
    h -= p * Math.log2(p);
    COUNTS[c] = 0;
  }
  if (astral)
    for (const k of astral.values()) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  return h;
}

const COUNTS = new Uint32Array(0x10000);

/**
 * A redacted form of a credential for messages: the public prefix (at most `keep` characters, default none,
 * never more than a quarter of the value or 16), an ellipsis, the last four characters when the value has at
 * least 24, and the length: `sk-proj-…Ab3f (164 chars)`.
 */
export function redact(value: string, keep?: number): string {
  const v = typeof value === "string" ? value : String(value);
  const n = v.length;
  const maxKeep = Math.floor(n / 4);
  const head = Math.max(0, Math.min(keep ?? 0, maxKeep, 16));
  const tail = n >= 24 ? 4 : 0;
  return `${v.slice(0, head)}…${v.slice(n - tail)} (${n} chars)`;
}

// ---------------------------------------------------------------------------------------------------------
// Generic key/value secrets

/** Whether a value that is not of a known format is still credential-like: long, random, not a placeholder. */
export function looksRandomSecret(raw: string, minLength = 16, minEntropy = 3.5): boolean {
  if (typeof raw !== "string") return false;
  const v = raw.trim().replace(AUTH_SCHEME, "");
  if (v.length < minLength || v.length > 4096) return false;
  if (/\s/.test(v) || v.includes("://")) return false;
  if (/[()[\]{}<>]/.test(v)) return false; // code or markup, not a token
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[!?]?$/.test(v)) return false; // a dotted reference (`config.api.token`)
  if (/^(?:[~./\\]|[A-Za-z]:\\)/.test(v)) return false; // a path
  if (isPlaceholder(v)) return false;
  if (shannonEntropy(v) < minEntropy) return false;
  // Identifiers and prose-like names (`my-team-prod-token`, `MyServiceAccount`) are not random.
  const hasDigit = /[0-9]/.test(v);
  const mixedCase = /[a-z]/.test(v) && /[A-Z]/.test(v);
  if (!hasDigit && !mixedCase) return false;
  if (!hasDigit && /^(?:[A-Z][a-z]{2,}|[-_.])+$/.test(v)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)*(?:[-_.]?v?\d{1,3})?$/i.test(v)) return false;
  return true;
}

export interface KeyValue {
  name: string;
  value: string;
  /** Offset of the value in the scanned text. */
  start: number;
}

/** Substrings every secret-looking name contains (a cheap prefilter before the assignment regex). */
const SECRET_STEMS = [
  "token",
  "key",
  "secret",
  "pass",
  "pwd",
  "auth",
  "cred",
  "cookie",
  "aws",
  "bearer",
  "pat",
];
// The name starts at a word boundary, so each word is tried once (linear in the line's length).
const ASSIGN =
  /(?<![A-Za-z0-9_.-])(["']?)(-{0,2}[A-Za-z_][A-Za-z0-9_.-]{0,80})\1[ \t]{0,5}(?::|=|=>)[ \t]{0,5}/g;

/**
 * Key/value assignments in one line of text whose key is secret-looking: `key: value`, `"key": "value"`,
 * `KEY=value`, `key = "value"`, `--api-key=value`, `Authorization: Bearer value` (also inside a quoted
 * string). The value is returned as written, without quotes, including an auth scheme.
 */
export function secretAssignments(line: string): KeyValue[] {
  if (typeof line !== "string" || line.length > 2_000_000) return [];
  if (!line.includes(":") && !line.includes("=")) return [];
  const lower = line.toLowerCase();
  if (!SECRET_STEMS.some((s) => lower.includes(s))) return [];
  const out: KeyValue[] = [];
  ASSIGN.lastIndex = 0;
  for (let m = ASSIGN.exec(line); m !== null; m = ASSIGN.exec(line)) {
    const name = (m[2] ?? "").replace(/^-+/, "");
    const at = m.index + m[0].length;
    if (!isSecretName(name)) continue;
    const v = readValue(line, at);
    if (v) {
      out.push({ name, value: v.value, start: v.start });
      ASSIGN.lastIndex = Math.max(ASSIGN.lastIndex, v.start + v.value.length);
    }
  }
  return out;
}

function readValue(line: string, at: number): { value: string; start: number } | undefined {
  const q = line[at];
  if (q === '"' || q === "'" || q === "`") {
    let end = line.indexOf(q, at + 1);
    // Skip JSON-escaped quotes.
    while (end > 0 && q === '"' && line[end - 1] === "\\") end = line.indexOf(q, end + 1);
    if (end < 0) end = line.length;
    return { value: line.slice(at + 1, end), start: at + 1 };
  }
  const stop = (i: number) => {
    const c = line.charCodeAt(i);
    // whitespace, " ' ` , ; \
    return c <= 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 92 || Number.isNaN(c);
  };
  let end = at;
  while (end < line.length && !stop(end)) end++;
  let value = line.slice(at, end);
  if (/^(?:bearer|basic|token|bot)$/i.test(value) && line[end] === " ") {
    let e2 = end + 1;
    while (e2 < line.length && !stop(e2)) e2++;
    value = line.slice(at, e2);
  }
  // Closing brackets of an inline map or list (`{token: abc}`) are not part of the value; `${VAR}`'s are.
  while (
    /[}\]]$/.test(value) &&
    count(value, value.endsWith("}") ? "{" : "[") < count(value, value.slice(-1))
  )
    value = value.slice(0, -1);
  return value === "" ? undefined : { value, start: at };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
