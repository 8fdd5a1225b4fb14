import type { FindingSeverity } from "../../../types.js";
import { excerpt } from "../../reveal.js";
import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import { type Blob, blobTexts, findBlobs, mayHaveBlob } from "./blobs.js";
import { HIDDEN_ATLAS, HIDDEN_OWASP, MAX_FINDINGS, removedSignatures, textScope } from "./util.js";

/** Encoded characters decoded per file at most; a file of megabytes of base64 stays fast. */
const MAX_DECODED_PER_FILE = 1024 * 1024;
/** Decoded texts rescanned per file at most, and the part of each that is rescanned. */
const MAX_RESCANS = 20;
const MAX_RESCAN_CHARS = 16 * 1024;

function size(bytes: number): string {
  return bytes >= 10 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

function what(blob: Blob): string {
  const n = blob.encoded.length;
  if (blob.encoding === "data-uri") return `a base64 data:${blob.mime} URI (${n} characters)`;
  return `a ${blob.encoding === "hex" ? "hex" : "base64"}-encoded blob (${n} characters)`;
}

/** Runs the other text rules on decoded text; a rule that throws there is not this rule's failure. */
function rescan(file: FileContext, text: string): { rule: string; message: string }[] {
  try {
    return file.scanText(text.length > MAX_RESCAN_CHARS ? text.slice(0, MAX_RESCAN_CHARS) : text);
  } catch {
    return [];
  }
}

/**
 * HID-005. Severity per blob: decoded text → medium, or high when any text rule fires on the decoded text
 * (rescanned with `file.scanText`, one level deep: a blob inside the decoded text shows up as HID-005 there);
 * binary → medium; a `data:image/*` URI whose payload really is an image (PNG/JPEG/GIF/WebP/ICO/AVIF/BMP
 * magic) → info, reported so the reviewer knows it is there but not counted towards the risk tier (SVG and
 * payloads that are not images are judged like any other blob). What is not a blob: see blobs.ts.
 * Scope: every line of tool-definition files and of markdown/plain-text bodies; in structured files and
 * front matter only blobs inside the string values the model extractor collects as texts.
 */
export const hid005: RiskRule = {
  id: "HID-005",
  title: "Encoded blob added to prompt or tool text",
  threat: "prompt-injection",
  severity: "medium",
  trigger:
    "A changed line of prompt or tool text adds a long base64 or hex blob or a base64 data: URI; it is decoded and the decoded text is scanned again by every text rule (high when any of them fires).",
  fix: "Write the content as plain text so reviewers and filters can read it, or remove it; if the encoded data is genuinely needed (an image, a key fingerprint), keep it out of agent instructions.",
  owasp: HIDDEN_OWASP,
  atlas: HIDDEN_ATLAS,
  textRule: true,
  check(file) {
    const out: RawFinding[] = [];
    const scope = textScope(file);
    const before = removedSignatures(file, (t) => (mayHaveBlob(t) ? blobTexts(t) : undefined));
    const budget = { chars: MAX_DECODED_PER_FILE };
    let rescans = 0;
    for (const { line, text } of file.added) {
      if (typeof text !== "string" || !mayHaveBlob(text)) continue;
      const inScope = (encoded: string) => scope.hasToken(line, encoded);
      for (const blob of findBlobs(text, budget, inScope)) {
        if (before.take(blob.encoded)) continue;
        const d = blob.decoded;
        let severity: FindingSeverity | undefined;
        let message: string;
        if (d.kind === "image") {
          severity = "info";
          message = `adds ${what(blob)} that decodes to a ${d.format} (${size(d.bytes)}); images carry no instructions for text models, so it was not rescanned, but check it belongs here`;
        } else if (d.kind === "binary") {
          message = `adds ${what(blob)} that decodes to ${size(d.bytes)} of binary data${d.format ? ` (${d.format})` : ""}: reviewers cannot read what it holds, and an agent with tools can decode it`;
        } else {
          const via = d.via ? ` (${d.via})` : "";
          const hits = rescans++ < MAX_RESCANS ? rescan(file, d.text) : [];
          const shown = excerpt(d.text, 0, 100);
          if (hits.length > 0) {
            severity = "high";
            const rules = [...new Set(hits.map((h) => h.rule))].sort();
            message = `adds ${what(blob)} whose decoded text${via} other checks flag (${rules.join(", ")}): "${shown}" — encoding hides it from reviewers and filters, not from the model`;
          } else {
            message = `adds ${what(blob)} that decodes to text${via}: "${shown}" — encoding hides it from reviewers and filters, not from the model`;
          }
        }
        out.push({ line, column: blob.index + 1, message, ...(severity ? { severity } : {}) });
        if (out.length >= MAX_FINDINGS) return out;
      }
    }
    return out;
  },
};
