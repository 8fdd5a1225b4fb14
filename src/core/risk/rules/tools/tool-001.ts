import type { ToolDef } from "../../../model/types.js";
import type { FindingSeverity } from "../../../types.js";
import { reveal } from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { schemaProperties, toolLine, words } from "./util.js";

/** A capability class TOOL-001 recognises, in the order messages name them. */
export type CapabilityClass =
  | "exec"
  | "payments"
  | "file-write"
  | "database-write"
  | "messaging"
  | "network"
  | "secrets";

const LABEL: Record<CapabilityClass, string> = {
  exec: "shell/code execution",
  payments: "payments",
  "file-write": "file write/delete",
  "database-write": "database write",
  messaging: "sending e-mail/messages",
  network: "network fetch",
  secrets: "secret/credential access",
};

const HIGH: ReadonlySet<CapabilityClass> = new Set(["exec", "payments"]);
/** Classes whose risk is acting on the world: a read-only tool (readOnlyHint true, no write word) is not in them. */
const ACTING: ReadonlySet<CapabilityClass> = new Set([
  "exec",
  "payments",
  "file-write",
  "database-write",
  "messaging",
]);

/** A set of space-separated words. */
const set = (w: string) => new Set(w.split(" "));

/** Verbs that make a tool act (used with nouns below, and to deny the read-only exemption). */
const WRITE_VERBS = set(
  "write delete remove rm unlink create update insert upsert drop truncate alter send post put patch exec execute run eval pay charge refund transfer move mv rename edit modify save upload set publish overwrite append copy mkdir rmdir chmod chown purge destroy reply forward notify invoke spawn",
);
/** Leading verbs that only read. */
const READ_VERBS = set(
  "get list read search find query fetch show view describe lookup retrieve count check inspect browse download load open scan watch explain validate",
);

const EXEC_WORDS = set(
  "exec shell bash zsh sh powershell pwsh cmd terminal eval subprocess spawn repl interpreter sudo ssh applescript",
);
const EXEC_VERBS = set("run execute exec invoke launch start call evaluate");
const EXEC_NOUNS = set(
  "command commands script scripts code program process python javascript js node shell cli binary",
);
const EXEC_PARAMS = set("command cmd shell_command bash_command script shell commandline command_line code");

const PAY_WORDS = set(
  "pay payment payments payout payouts charge charges refund refunds invoice invoices checkout purchase withdraw withdrawal remit disburse wire",
);
const MONEY = set("money funds fund payment usd usdc eth btc crypto balance sol");

const FILE_NOUNS = set("file files dir directory directories folder folders path fs filesystem disk");
const FILE_ONLY_VERBS = set("rm rmdir mkdir unlink chmod chown touch");
const FILE_WRITE_VERBS = set(
  "write delete remove rm unlink move mv rename create mkdir rmdir edit modify overwrite append save upload copy patch put truncate chmod chown touch",
);
const PATH_PARAMS = set(
  "path file_path filepath filename file directory dir file_name target_path destination dest",
);

const DB_NOUNS = set(
  "row rows record records table tables db database databases collection collections mongo mongodb postgres postgresql mysql sqlite redis dynamodb bigquery snowflake supabase firestore",
);
const DB_WRITE_VERBS = set(
  "insert update delete upsert drop truncate alter create write mutate remove modify execute exec run",
);
const QUERY_NOUNS = set("query queries statement statements");
const SQL_PARAMS = set("sql sql_query sqlquery raw_sql statement sql_statement");

const MSG_NOUNS = set(
  "email emails mail gmail smtp sms slack discord telegram whatsapp tweet twilio sendgrid mailgun message messages notification webhook dm",
);
/** Verbs that send on their own (`send_x`, `notify_y`) and verbs that send only with a message noun (`post_message`). */
const MSG_VERBS = set("send reply forward notify tweet dm");
const MSG_POST_VERBS = set("post publish broadcast create write compose");
const MSG_NOT = set("request requests http https payment money funds invoice invoices");
const RECIPIENT_PARAMS = set(
  "to recipient recipients cc bcc email phone phone_number channel channel_id chat_id",
);
const BODY_PARAMS = set("subject body message text content html");

const NET_STRONG = set(
  "http https curl wget browse browser scrape scraper crawl crawler webpage website url urls uri web",
);
const NET_WEAK = set("fetch download get open read visit request load post call send invoke navigate goto");
const SEARCH_ENGINES = set("google bing brave tavily serper serp duckduckgo exa perplexity");
const URL_PARAMS = set("url uri link href endpoint website webpage urls");

const SECRET_WORDS = set(
  "secret secrets credential credentials vault password passwords passwd keychain keyring kms apikey apikeys",
);
const TOKEN_QUALIFIERS = set(
  "access auth oauth bearer refresh session jwt pat api id github personal service",
);
const TOKEN_VERBS = set("get create generate issue rotate read fetch revoke exchange retrieve");
const TOKEN_NOT = set(
  "count estimate tokenize usage used limit max next page pagination cursor price balance supply holders swap transfer mint metadata",
);

/** Description phrases per class, matched on lower-cased text with runs of white space made one space. */
const PHRASES: Record<CapabilityClass, RegExp[]> = {
  exec: [
    /\b(?:runs?|execut(?:e|es|ing)|running) (?:an? |the |any |arbitrary |given )?(?:shell |bash |terminal |system |cli |os |powershell )?(?:command|commands|script|scripts)\b/,
    /\b(?:shell|bash|terminal|powershell) (?:command|commands|session|script)\b/,
    /\barbitrary (?:code|commands?)\b/,
    /\b(?:execut(?:e|es)|runs?) (?:the |a |arbitrary |given )?(?:python|javascript|js|node\.?js|ruby) ?(?:code|script)?\b/,
    /\bcode interpreter\b/,
  ],
  payments: [
    /\b(?:make|makes|send|sends|process|processes|issue|issues|create|creates|initiate|initiates|execute|executes) (?:an? |the )?(?:payment|payments|refund|refunds|charge|charges|payout|payouts|transfer|transfers|wire transfer|purchase)\b/,
    /\bcharges? (?:the |a )?(?:customer|card|credit card|user|account)\b/,
    /\b(?:transfer|transfers|moves?|sends?) (?:money|funds)\b/,
    /\bpays? (?:an? |the )?(?:invoice|bill|vendor|merchant)\b/,
  ],
  "file-write": [
    /\b(?:write|writes|overwrite|overwrites|delete|deletes|remove|removes|create|creates|modify|modifies|edit|edits|save|saves|append|appends|move|moves|rename|renames) (?:an? |the |new |to |to an? |to the |into |into an? |into the )?(?:local |existing |new |any )?(?:file|files|directory|directories|folder|folders)\b/,
  ],
  "database-write": [
    /\b(?:execut(?:e|es)|runs?) (?:an? |the |any |arbitrary |raw |custom )?(?:sql|database|db|cypher)(?: query| queries| statement| statements| command| commands)?\b/,
    /\b(?:insert|inserts|update|updates|delete|deletes|upsert|upserts|modify|modifies|write|writes) (?:new )?(?:rows?|records?|documents?|entries) (?:in|into|from|to) (?:the |a )?(?:database|table|collection|db)\b/,
    /\bwrites? (?:data )?(?:to|into) the database\b/,
    /\b(?:insert|update|delete|upsert)\b[^.]{0,40}\b(?:on|in|into|from|against) (?:the |a |an )?(?:[a-z0-9_-]+ )?(?:database|db|table|tables)\b/,
  ],
  messaging: [
    /\b(?:send|sends|sending|post|posts|posting|deliver|delivers|forward|forwards|reply|replies)(?: an?| the)? (?:e-?mail|emails|message|messages|sms|text message|slack message|notification|notifications|direct message|tweet)\b/,
    /\bposts? (?:to|in|on|into) (?:slack|discord|teams|a channel|the channel|twitter)\b/,
  ],
  network: [
    /\b(?:fetch|fetches|retrieve|retrieves|download|downloads|get|gets|read|reads|load|loads|open|opens|visit|visits|browse|browses|scrape|scrapes|crawl|crawls) (?:the )?(?:content |contents |text |html |data |page )?(?:of |from |at )?(?:an? |the |any |arbitrary |given |specified |provided )?(?:url|urls|uri|web ?page|web ?pages|website|websites|web|internet)\b/,
    /\b(?:make|makes|send|sends|perform|performs) (?:an? )?(?:http|https|web|get|post) requests?\b/,
    /\bhttps? requests?\b/,
    /\b(?:any|arbitrary|given|specified|provided) urls?\b/,
    /\b(?:browse|search|searches|searching) the (?:web|internet)\b/,
    /\bweb search\b/,
  ],
  secrets: [
    /\b(?:read|reads|retrieve|retrieves|return|returns|get|gets|fetch|fetches|access|accesses|list|lists|store|stores|rotate|rotates|reveal|reveals)(?: (?:the|a|an|your|all|stored|saved|current|user|user's)){0,3} (?:secret|secrets|credential|credentials|password|passwords|api key|api keys|access token|access tokens|private key|private keys)\b/,
    /\b(?:secrets manager|key vault|keychain|parameter store|hashicorp vault|1password|bitwarden)\b/,
  ],
};

/** Longest description text matched against phrases (a description longer than this is judged by its start). */
const MAX_DESCRIPTION = 20_000;

export interface Classification {
  classes: CapabilityClass[];
  /** Why, per class: `name "run_command"`, `parameter "command"`, `description "…runs shell commands…"`. */
  evidence: Map<CapabilityClass, string[]>;
}

/** The high-risk capability classes of a tool, from its name, description, parameter names and annotations. */
export function classifyTool(tool: ToolDef): Classification {
  const evidence = new Map<CapabilityClass, string[]>();
  const hit = (c: CapabilityClass, why: string) => {
    const list = evidence.get(c) ?? [];
    if (!list.includes(why)) list.push(why);
    evidence.set(c, list);
  };
  const name = words(tool.name);
  const has = (s: ReadonlySet<string>) => name.some((w) => s.has(w));
  const first = name[0] ?? "";
  const readName = READ_VERBS.has(first) && !has(WRITE_VERBS);
  const keys = schemaProperties(tool.inputSchema).map((p) => p.key);
  /** The first parameter (as written) whose lower-cased name is in the set or passes the test. */
  const param = (s: ReadonlySet<string>, test?: (lower: string) => boolean) =>
    keys.find((k) => s.has(k.toLowerCase()) || (test?.(k.toLowerCase()) ?? false));
  const byName = `name "${reveal(tool.name)}"`;

  // Shell / code execution.
  const dbish = has(DB_NOUNS) || has(QUERY_NOUNS) || name.includes("sql");
  if (has(EXEC_WORDS) || (has(EXEC_VERBS) && has(EXEC_NOUNS) && !dbish)) hit("exec", byName);
  const execParam = param(EXEC_PARAMS);
  if (execParam && has(EXEC_VERBS) && !dbish) hit("exec", `parameter "${reveal(execParam)}"`);

  // Payments.
  if (!readName && (has(PAY_WORDS) || ((name.includes("transfer") || name.includes("send")) && has(MONEY))))
    hit("payments", byName);

  // File write / delete.
  if (name.some((w) => FILE_ONLY_VERBS.has(w)) || (has(FILE_WRITE_VERBS) && has(FILE_NOUNS)))
    hit("file-write", byName);
  const pathParam = param(PATH_PARAMS);
  if (pathParam && has(FILE_WRITE_VERBS) && !has(DB_NOUNS))
    hit("file-write", `${byName} with parameter "${reveal(pathParam)}"`);

  // Database write.
  if (
    name.includes("sql") ||
    (has(DB_WRITE_VERBS) && has(QUERY_NOUNS)) ||
    (has(DB_WRITE_VERBS) && has(DB_NOUNS) && !readName)
  )
    hit("database-write", byName);
  const sqlParam = param(SQL_PARAMS);
  if (sqlParam) hit("database-write", `parameter "${reveal(sqlParam)}"`);

  // Sending e-mail / messages.
  if (
    !readName &&
    !has(MSG_NOT) &&
    (has(MSG_VERBS) || (has(MSG_POST_VERBS) && (has(MSG_NOUNS) || name.includes("comment"))))
  )
    hit("messaging", byName);
  const recipient = param(RECIPIENT_PARAMS);
  const bodyParam = param(BODY_PARAMS);
  if (recipient && bodyParam && !readName)
    hit("messaging", `parameters "${reveal(recipient)}" and "${reveal(bodyParam)}"`);

  // Network fetch.
  if (
    has(NET_STRONG) ||
    (name.includes("fetch") && name.length === 1) ||
    (has(SEARCH_ENGINES) && name.includes("search"))
  )
    hit("network", byName);
  const urlParam = param(URL_PARAMS, (p) => /(?:^|_)(?:url|uri)$/.test(p));
  if (urlParam && (has(NET_WEAK) || name.length === 1))
    hit("network", `${byName} with parameter "${reveal(urlParam)}"`);

  // Secret / credential access.
  const tokenAccess =
    (name.includes("token") || name.includes("tokens")) &&
    (has(TOKEN_QUALIFIERS) || has(TOKEN_VERBS)) &&
    !has(TOKEN_NOT);
  const keyAccess =
    name.includes("key") && (name.includes("api") || name.includes("private") || name.includes("ssh"));
  if (has(SECRET_WORDS) || tokenAccess || keyAccess) hit("secrets", byName);

  // Description phrases.
  const text = (tool.description ?? "").slice(0, MAX_DESCRIPTION).toLowerCase().replace(/\s+/g, " ");
  if (text) {
    for (const c of Object.keys(PHRASES) as CapabilityClass[]) {
      for (const re of PHRASES[c]) {
        const m = re.exec(text);
        if (m) {
          hit(c, `description "…${m[0]}…"`);
          break;
        }
      }
    }
  }

  // A tool that declares itself read-only and has no acting word in its name does not act: keep only the
  // classes whose risk is reading (secrets; network unless it also declares a closed world).
  const ann = tool.annotations ?? {};
  if (ann.readOnlyHint === true && !has(WRITE_VERBS)) {
    for (const c of ACTING) evidence.delete(c);
    if (ann.openWorldHint === false) evidence.delete("network");
  }
  const order = Object.keys(LABEL) as CapabilityClass[];
  return { classes: order.filter((c) => evidence.has(c)), evidence };
}

export function classLabel(c: CapabilityClass): string {
  return LABEL[c];
}

export const tool001: RiskRule = {
  id: "TOOL-001",
  title: "New tool in a high-risk capability class",
  threat: "tool-misuse",
  severity: "high",
  trigger:
    "A tool definition is added whose name, description, parameters or annotations put it in a high-risk class: shell/code execution or payments (high); file write/delete, database write, sending e-mail/messages, network fetch or secret access (medium).",
  fix: "Confirm the agent needs this capability, narrow it (allow-listed commands, hosts, paths or recipients; read-only where possible) and make sure the client asks before calling it; then get the tool owner's approval.",
  owasp: ["LLM06"],
  atlas: ["AML.T0053", "AML.T0086", "AML.T0101"],
  check(file) {
    const after = file.after?.model.tools;
    if (!after || after.size === 0) return [];
    const before = file.before?.model.tools;
    const out: RawFinding[] = [];
    for (const [key, tool] of after) {
      if (before?.has(key)) continue;
      const { classes, evidence } = classifyTool(tool);
      if (classes.length === 0) continue;
      const severity: FindingSeverity = classes.some((c) => HIGH.has(c)) ? "high" : "medium";
      const why = classes.map((c) => `${LABEL[c]} (${(evidence.get(c) ?? []).join("; ")})`).join(", ");
      out.push({
        line: toolLine(file, tool),
        severity,
        message: `new tool "${reveal(tool.name)}" gives the agent ${why}. A model can be steered into calling it by any text it reads, so review what it can reach and require confirmation before use.`,
      });
    }
    return out;
  },
};
