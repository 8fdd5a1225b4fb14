import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import {
  addedSegments,
  eachMatch,
  inCheckQuestion,
  isNegated,
  originalSlice,
  positionAt,
  quote,
  quotedExample,
  sentenceAt,
} from "./text.js";

/**
 * Secret locations: SSH keys, dotenv files (not `.env.example`), cloud and tool credential files, process
 * environments, OS keychains and browser profiles.
 */
const LOCATIONS = new RegExp(
  [
    String.raw`(?<![\w.-])\.ssh(?![\w-])`,
    String.raw`\bid_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?\b(?!\.pub)`,
    String.raw`(?<![\w.$-])\.env(?:\.(?!example|sample|template|dist|defaults?|schema|tpl|in\b|d\.ts)[\w-]+)?(?![\w/-]|\.(?:example|sample|template|dist|defaults?|schema|tpl)\b)`,
    String.raw`\.aws\/(?:credentials|config|sso\/cache)\b`,
    String.raw`(?<![\w-])[._]netrc\b`,
    String.raw`\.git-credentials\b`,
    String.raw`(?<![\w-])\.(?:npmrc|pypirc|pgpass|vault-token)\b`,
    String.raw`\.docker\/config\.json\b`,
    String.raw`\.config\/gh\/hosts\.ya?ml\b`,
    String.raw`\/proc\/(?:self|\d+|\*|\$\w+|\{[^}]{1,10}\})\/environ\b`,
    String.raw`\bsecurity\s+(?:find-(?:generic|internet)-password|dump-keychain|export)\b`,
    String.raw`\bsecret-tool\s+lookup\b`,
    String.raw`\b(?:macos|login|osx|system|user'?s?|your|the\s+user'?s)\s+keychains?\b`,
    String.raw`\.keychain(?:-db)?\b`,
    String.raw`\bwindows\s+credential\s+manager\b`,
    String.raw`\bgnome-keyring\b`,
    String.raw`\b(?:browser|chrome|chromium|firefox|safari|edge|brave)(?:'s)?\s+(?:user\s+)?(?:profiles?|cookies?|saved\s+passwords?|passwords?|login\s+data|local\s+storage|session\s+storage|history|credentials?)\b`,
    String.raw`\bcookies\.sqlite\b`,
    String.raw`\bLogin\s+Data\b`,
    String.raw`\.mozilla\/firefox\b`,
    String.raw`Application\s+Support\/(?:Google\/Chrome|BraveSoftware|Microsoft\s+Edge|Firefox|Chromium)\b`,
    String.raw`AppData\\(?:Local|Roaming)\\(?:Google\\Chrome|Mozilla|Microsoft\\Edge|BraveSoftware)\b`,
    String.raw`\.kube\/config\b`,
    String.raw`\bapplication_default_credentials\.json\b`,
    String.raw`\.config\/gcloud\b`,
    String.raw`\.azure\/(?:accessTokens\.json|msal_token_cache[\w.]*|azureProfile\.json|credentials)\b`,
    String.raw`(?<![\w.-])~?\/?\.azure(?![\w-])`,
    String.raw`\/etc\/shadow\b`,
    String.raw`\.gnupg\b`,
  ].join("|"),
  "gi",
);

/** Commands that read a secret location by themselves (no separate verb needed). */
const SELF_ACTING = /^(?:security\s|secret-tool\s)/i;

/**
 * Agent actions that put the content into its context or send it away. A verb must be followed by whitespace
 * (so a permission rule such as `Read(./.env)` is not an instruction) and come before the location in the clause.
 */
const VERB =
  /\b(?:read|reads|reading|cat|head|tail|open|opens|opening|print|prints|printing|show|display|dump|output|echo|upload|uploading|include|including|send|sending|attach|post|posting|forward|exfiltrate|share|paste|leak|reveal|copy|copying|scp|rsync|base64|xxd|strings|grep|access|accessing|extract|extracting|collect|collecting|gather|gathering|harvest|retrieve|ls|scan|inspect|look\s+(?:in|at|into|inside)|check\s+(?:the\s+)?contents?\s+of|grab|steal|Get-Content)\s/gi;

/**
 * Setup prose for humans: creating, copying from an example or editing a dotenv file is not reading secrets —
 * unless the same sentence also prints or sends it.
 */
const SETUP =
  /\b(?:copy|cp)\s+\S*\.env\.(?:example|sample|template)\b|\b(?:create|add|edit|set|fill|populate|rename|configure|update|define|put)\b/i;
const SINK =
  /\b(?:print|echo|output|dump|upload|send|post|include|share|paste|leak|reveal|base64|curl|wget|exfiltrate|forward|attach)\b/i;
/** Public halves and host lists under ~/.ssh are not secrets. */
const PUBLIC_FILE = /^[\w./~-]*(?:\.pub|known_hosts)\b/;

export const ins003: RiskRule = {
  id: "INS-003",
  title: "Instruction to read a secret location added",
  threat: "data-exfiltration",
  severity: "high",
  trigger:
    'Added text tells the agent to read, print, copy, upload or include a secret location — ~/.ssh and SSH private keys, .env files (not .env.example), ~/.aws/credentials, ~/.netrc, ~/.git-credentials, /proc/self/environ, OS keychains (security find-generic-password), browser profiles and cookies, ~/.kube/config, GCP/Azure credential files — with the action verb before the location in the same clause; mentions and guardrails ("never read .env") do not fire.',
  fix: "Remove the instruction: an agent must not read credential stores into its context, where any injected instruction can send them away. Give the agent the one scoped secret it needs through its tool configuration, and deny reads of these paths in its permission settings.",
  owasp: ["LLM02", "LLM06"],
  atlas: ["AML.T0083", "AML.T0055", "AML.T0086"],
  textRule: true,
  check(file: FileContext): RawFinding[] {
    const segs = addedSegments(file);
    if (segs.length === 0) return [];
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    eachMatch(
      segs,
      LOCATIONS,
      (seg, m) => {
        const s = sentenceAt(seg.text, m.index);
        let actionAt = -1;
        let verb = "";
        if (SELF_ACTING.test(m[0])) {
          actionAt = m.index;
          verb = m[0];
        } else {
          // The nearest verb before the location, within the clause and 80 characters.
          const from = Math.max(s.start, m.index - 80);
          const window = seg.text.slice(from, m.index);
          VERB.lastIndex = 0;
          let v: RegExpExecArray | null = VERB.exec(window);
          while (v !== null) {
            actionAt = from + v.index;
            verb = v[0].trim();
            v = VERB.exec(window);
          }
          if (actionAt < 0) return;
          const between = seg.text.slice(actionAt, m.index);
          // A clause break or a new sentence between verb and location separates them.
          if (/[;]|\.\s|\bbut\b|\bthen\b|\babout\b/i.test(between)) return;
        }
        const sentence = seg.text.slice(s.start, s.end);
        if (/\.env/i.test(m[0]) && SETUP.test(sentence) && !SINK.test(sentence)) return;
        if (PUBLIC_FILE.test(seg.text.slice(m.index, m.index + 200))) return;
        if (isNegated(seg.text, actionAt) || inCheckQuestion(seg.text, actionAt)) return;
        if (quotedExample(seg.text, actionAt, m.index + m[0].length)) return;
        const pos = positionAt(seg, actionAt);
        if (seen.has(pos.line)) return;
        seen.add(pos.line);
        out.push({
          line: pos.line,
          column: pos.column,
          message: `Instruction to ${verb.toLowerCase()} a secret location added: ${quote(originalSlice(seg, actionAt, m.index + m[0].length))} (${quote(m[0], 60)}). Credentials read into the agent's context can be leaked by any later injected instruction or tool call.`,
        });
      },
      [
        ".ssh",
        "id_",
        ".env",
        ".aws",
        "netrc",
        ".git-credentials",
        ".npmrc",
        ".pypirc",
        ".pgpass",
        ".vault-token",
        ".docker",
        "gh/hosts",
        "environ",
        "security",
        "secret-tool",
        "keychain",
        "credential",
        "gnome-keyring",
        "browser",
        "chrome",
        "chromium",
        "firefox",
        "safari",
        "edge",
        "brave",
        "cookies.sqlite",
        "login",
        ".mozilla",
        "application",
        "appdata",
        ".kube",
        "application_default_credentials",
        "gcloud",
        ".azure",
        "/etc/shadow",
        ".gnupg",
      ],
    );
    return out;
  },
};
