import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import {
  addedSegments,
  eachMatch,
  has,
  inCheckQuestion,
  isNegated,
  originalSlice,
  PLACEHOLDER,
  positionAt,
  quote,
  quotedExample,
  type Segment,
  sentenceAt,
  showUrl,
} from "./text.js";

/** Verbs that move data out by themselves. */
const STRONG = /^(?:exfiltrat|upload|transmit|leak|beacon|smuggl|forward)/i;
/** Verbs that send something: the thing sent must be data. */
const SEND = /^(?:send|post|transfer|share|e-?mail|mail|dump|pipe|stream)/i;
const VERBS =
  /\b(?:exfiltrat\w*|upload\w*|transmit\w*|leak\w*|beacon\w*|smuggl\w*|forward\w*|send\w*|post|posts|posting|transfer\w*|share|shares|sharing|e-?mail|mail|submit\w*|dump\w*|pipe|stream|report\w*|include|includes|including|append\w*|attach\w*|add|adds|adding|embed\w*|insert\w*|encode\w*|put|puts)\b/gi;
/** Sensitive data: enough for "include/append/attach … to <url>". */
const SENSITIVE =
  /\b(?:secrets?|api[\s_-]?keys?|keys|tokens?|credentials?|passwords?|passphrases?|env(?:ironment)?(?:\s+var(?:iable)?s)?|\.env|cookies?|sessions?|conversation|chat(?:\s+history)?|transcripts?|context|system\s+prompt|prompts?|instructions|memory|pii|personal\s+(?:data|information|details)|ssh|id_rsa|private|confidential|(?:the\s+)?user'?s\s+\w+)\b/i;
/** Any data worth keeping in: enough for "send/post/share … to <url>". */
const DATA =
  /\b(?:data|contents?|files?|(?:source\s+)?code|repo(?:sitory)?|documents?|results?|outputs?|logs?|diffs?|information|info|details|answers?|responses?|summar(?:y|ies)|messages?|emails?|everything|history)\b/i;
/** Collection endpoints used for exfiltration and request inspection. */
const SINK_HOST =
  /(?:^|\.)(?:webhook\.site|requestbin\.\w+|pipedream\.net|[\w-]+\.ngrok(?:-free)?\.(?:io|app|dev)|burpcollaborator\.net|oast\.\w+|interact\.sh|hooks\.slack\.com|discord(?:app)?\.com|pastebin\.com|transfer\.sh|beeceptor\.com|hookbin\.com|requestcatcher\.com)$/i;
const LOCAL_HOST =
  /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|::1|[\w-]+\.local|[\w-]+\.localhost)$/i;
/** The destination is what is sent to: "to <url>", "to the webhook <url>", "POST <url>". */
const LINK =
  /(?:\b(?:to|into|onto|via|through|towards?)\b(?:\s+(?:the|this|that|a|an|our|my|your))?(?:\s+(?:url|endpoint|webhook|server|address|host|api|site|inbox|e-?mail(?:\s+address)?|channel|form|bucket))?|\bPOST|\bPUT)\s*[:=]?\s*[<("'`[]*$/i;

const URL_RE = /\bhttps?:\/\/[^\s<>"'`)\]]+/gi;
const WEBHOOK_WORD = /\bwebhooks?\b/gi;

interface Dest {
  index: number;
  end: number;
  shown: string;
  host: string;
}

function hostOf(url: string): string {
  const m = /^https?:\/\/(?:[^/@\s]*@)?(\[[^\]]*\]|[^/:?#\s]+)/i.exec(url);
  return (m?.[1] ?? "").toLowerCase();
}

/** URLs, e-mail addresses and the word "webhook" in a segment. */
function destinations(text: string): Dest[] {
  const out: Dest[] = [];
  URL_RE.lastIndex = 0;
  let m: RegExpExecArray | null = URL_RE.exec(text);
  while (m !== null) {
    const url = m[0].replace(/[.,;:!?]+$/, "");
    const host = hostOf(url);
    if (!LOCAL_HOST.test(host))
      out.push({ index: m.index, end: m.index + url.length, shown: showUrl(url), host });
    m = URL_RE.exec(text);
  }
  // E-mail addresses, found from each "@" outwards (bounded, so no regex backtracking on long runs).
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let a = at;
    while (a > 0 && at - a < 64 && /[A-Za-z0-9._%+-]/.test(text[a - 1]!)) a--;
    let b = at + 1;
    while (b < text.length && b - at < 255 && /[A-Za-z0-9.-]/.test(text[b]!)) b++;
    const local = text.slice(a, at);
    const domain = text.slice(at + 1, b).replace(/\.+$/, "");
    if (!local || local === "git" || /[\w/]/.test(text[a - 1] ?? " ")) continue;
    if (!/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) continue;
    if (LOCAL_HOST.test(domain) || /^(?:example|users\.noreply\.github)\./i.test(domain)) continue;
    out.push({ index: a, end: at + 1 + domain.length, shown: `${local}@${domain}`, host: domain });
  }
  WEBHOOK_WORD.lastIndex = 0;
  m = WEBHOOK_WORD.exec(text);
  while (m !== null) {
    out.push({ index: m.index, end: m.index + m[0].length, shown: m[0], host: "webhook" });
    m = WEBHOOK_WORD.exec(text);
  }
  return out;
}

/** Markdown images/links (and HTML images) whose URL carries a templated query value. */
const MD_IMAGE = /!\[[^\]\n]{0,300}\]\(\s*<?(https?:\/\/[^\s)]{1,2000})/gi;
const MD_LINK = /(?<!!)\[[^\]\n]{0,300}\]\(\s*<?(https?:\/\/[^\s)]{1,2000})/gi;
const MD_REF = /^[ \t]{0,3}\[[^\]\n]{1,200}\]:\s*<?(https?:\/\/\S{1,2000})/gim;
const HTML_IMG = /<img\b[^>\n]{0,300}?\bsrc\s*=\s*["']?(https?:\/\/[^\s"'>]{1,2000})/gi;

function templatedQuery(url: string, image: boolean): boolean {
  const q = url.indexOf("?");
  if (q >= 0 && PLACEHOLDER.test(url.slice(q + 1))) return true;
  // Auto-fetched images can carry data in the path too.
  return image && /\{\{|\$\{/.test(url.slice(0, q >= 0 ? q : url.length));
}

/** `curl -d @~/.ssh/id_rsa https://…`, `curl -F f=@.env …`, `curl --data "$(env)" …`, `wget --post-file`. */
const CURL_UPLOAD =
  /\b(?:curl\b[^\n|;]{0,200}?\s(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file)[\s=]+["']?(?:[\w.-]+=)?(?:@-|@\S*(?:\.env|\.ssh|id_rsa|id_ed25519|credentials|\.pem|\.key|\/etc\/|\/proc\/|~\/|\$HOME)|\$\(|`|\$\{?[A-Z_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASS|CRED)\w*)|wget\b[^\n|;]{0,200}?--post-(?:file|data)\b)/gi;

export const ins004: RiskRule = {
  id: "INS-004",
  title: "Instruction to send data out added",
  threat: "data-exfiltration",
  severity: "high",
  trigger:
    'Added text tells the agent to send data to an external destination — a transfer verb (upload, exfiltrate, transmit, forward; send/post/share with a data object; include/append/attach with sensitive data) linked by "to/via" to a URL, e-mail address or webhook — or adds a markdown image or link whose URL has templated query values (![x](https://h/?q={{secret}})), or a curl/wget upload of a secret file or command output; local hosts and negated guardrails do not fire.',
  fix: "Remove the instruction: an agent must not send conversation, files or secrets to destinations its prompt names, and markdown images with templated URLs leak data as soon as they are rendered. Route legitimate integrations through a reviewed tool with a fixed endpoint.",
  owasp: ["LLM02", "LLM01"],
  atlas: ["AML.T0086", "AML.T0051"],
  textRule: true,
  check(file: FileContext): RawFinding[] {
    const segs = addedSegments(file);
    if (segs.length === 0) return [];
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    const push = (seg: Segment, at: number, message: string) => {
      const pos = positionAt(seg, at);
      if (seen.has(pos.line)) return;
      seen.add(pos.line);
      out.push({ line: pos.line, column: pos.column, message });
    };

    for (const seg of segs) {
      const t = seg.text;
      if (!has(seg, ["http", "@", "webhook"])) continue;
      for (const d of destinations(t)) {
        const s = sentenceAt(t, d.index);
        const from = Math.max(s.start, d.index - 160);
        const window = t.slice(from, d.index);
        if (!LINK.test(window)) continue;
        // The nearest verb whose object fits: "forward every e-mail you read to x@y" is about "forward".
        const verbs: RegExpExecArray[] = [];
        VERBS.lastIndex = 0;
        for (let v = VERBS.exec(window); v !== null; v = VERBS.exec(window)) verbs.push(v);
        const sink = d.host === "webhook" || SINK_HOST.test(d.host);
        let verbAt = -1;
        for (let i = verbs.length - 1; i >= 0; i--) {
          const at = from + verbs[i]!.index;
          const word = verbs[i]![0];
          const object = t.slice(at + word.length, d.index);
          if (/[;]|\.\s/.test(object)) break;
          const ok = STRONG.test(word)
            ? true
            : SEND.test(word)
              ? sink || SENSITIVE.test(object) || DATA.test(object)
              : sink || SENSITIVE.test(object);
          if (ok) {
            verbAt = at;
            break;
          }
        }
        if (verbAt < 0) continue;
        if (isNegated(t, verbAt) || inCheckQuestion(t, verbAt)) continue;
        if (quotedExample(t, verbAt, d.end)) continue;
        push(
          seg,
          verbAt,
          `Instruction to send data out added: ${quote(originalSlice(seg, verbAt, d.index).trim(), 90)} → ${d.shown}. Text that tells the agent to move conversation, files or secrets to ${d.host === "webhook" ? "a webhook" : "an outside destination"} is data exfiltration once any of it is sensitive.`,
        );
      }
    }

    const templated = (re: RegExp, image: boolean, kind: string) =>
      eachMatch(
        segs,
        re,
        (seg, m) => {
          const url = m[1] ?? "";
          if (LOCAL_HOST.test(hostOf(url))) return;
          if (!templatedQuery(url, image)) return;
          push(
            seg,
            m.index,
            `${kind} with a templated URL added: ${showUrl(url)}. ${
              image
                ? "A rendered image fetches its URL at once, so whatever the model fills into the placeholder is sent to that host without a click."
                : "A link whose query the model fills in sends conversation data to that host when followed."
            }`,
          );
        },
        ["http"],
      );
    templated(MD_IMAGE, true, "Markdown image");
    templated(HTML_IMG, true, "HTML image");
    templated(MD_LINK, false, "Markdown link");
    templated(MD_REF, false, "Markdown link reference");

    eachMatch(
      segs,
      CURL_UPLOAD,
      (seg, m) => {
        if (isNegated(seg.text, m.index)) return;
        const s = sentenceAt(seg.text, m.index);
        const urls = destinations(
          seg.text.slice(m.index, Math.max(s.end, m.index + m[0].length + 300)),
        ).filter((d) => d.host !== "webhook" && !d.shown.includes("@"));
        if (urls.length === 0) return;
        push(
          seg,
          m.index,
          `Upload command added: ${quote(originalSlice(seg, m.index, m.index + m[0].length), 90)} → ${urls[0]!.shown}. It sends a local secret file or command output to an outside host.`,
        );
      },
      ["curl", "wget"],
    );
    return out;
  },
};
