import { gunzipSync, inflateSync } from "node:zlib";

/**
 * Encoded blobs in a line of text (HID-005): base64 (standard or URL-safe), hex, and `data:` URIs with a
 * base64 payload, found in one linear pass and decoded. What is NOT a blob here:
 * - runs shorter than 40 characters (data: URI payloads: 8), runs of one character class;
 * - binary-decoding runs that do not look random: identifiers (`VPCAssistantIngressSubnet1RouteTable…`),
 *   paths, kebab/snake names (they need upper, lower and digits and frequent class changes);
 * - secrets (JWTs, known token prefixes, values after secret-like key names, `Basic`/`Bearer`): SEC rules;
 * - hashes: hex runs of digest length (40/56/64/96/128) or after `sha256:`/`commit`/`@`…, and package
 *   integrity strings (`sha512-…`); base58 addresses;
 * - binary data inside URLs (path segments and IDs). Text hidden in a URL still counts.
 * Text-decoding blobs always count: no hash, identifier or key decodes to readable text by accident.
 */

export type Decoded =
  | { kind: "text"; text: string; via?: string }
  | { kind: "image"; format: string; bytes: number }
  | { kind: "binary"; bytes: number; format?: string };

export interface Blob {
  /** Offsets of the encoded text in the line. */
  index: number;
  end: number;
  encoding: "base64" | "hex" | "data-uri";
  /** The encoded text (payload only, for data URIs). */
  encoded: string;
  /** Media type of a data URI. */
  mime?: string;
  decoded: Decoded;
}

export const MIN_BLOB = 40;
const MIN_DATA_URI = 8;
/** Longest payload decoded (characters); longer blobs are judged by their first part. */
const MAX_DECODE_CHARS = 64 * 1024;
/** Largest decompressed output looked at. */
const MAX_INFLATE = 64 * 1024;
/** Share of unprintable code points above which decoded bytes are binary, not text. */
const MAX_UNPRINTABLE = 0.1;

const HASH_LENGTHS = new Set([40, 56, 64, 96, 128]);
const SECRET_PREFIX =
  /^(?:sk|pk|rk|ak)[-_]|^(?:ghp|gho|ghu|ghs|ghr|glpat|github_pat|xox[abprs]|hf|npm|pypi|gsk|xai|lsv2|r8|sgp|shpat|dop_v1)[-_]|^(?:AKIA|ASIA|AIza|ya29\.)/;
const SECRET_CONTEXT =
  /(?:secret|token|passw|pwd|api[-_]?key|apikey|credential|private[-_]?key|auth|bearer|basic|signature|cert|salt|nonce|session|cookie)/i;
const HASH_CONTEXT =
  /(?:sha-?\d*|md5|digest|hash|commit|checksum|rev|integrity|fingerprint|blob|tree)\W{0,3}$|[@#]$/i;
/** 40 characters of the base64/hex alphabets in a row (a native scan, checked before the JS tokenizer). */
const LONG_RUN = /[A-Za-z0-9+/_-]{40}/;
const INTEGRITY = /^sha(?:1|224|256|384|512)-/i;

function isB64(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 43 /* + */ ||
    c === 47 /* / */ ||
    c === 45 /* - */ ||
    c === 95 /* _ */
  );
}

/** Characters that end a "word" (URL context). */
function isDelimiter(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 60 ||
    c === 62 ||
    c === 40 ||
    c === 41 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 44 ||
    c === 59 ||
    c === 124
  );
}

/** Characters of a dotted token chain (JWT: `eyJ….eyJ….sig`). */
function isChain(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46
  );
}

/** Quick test: can the line hold a blob at all? */
export function mayHaveBlob(line: string): boolean {
  if (line.length >= MIN_BLOB && LONG_RUN.test(line)) return true;
  return line.length >= MIN_DATA_URI && /base64,/i.test(line);
}

/** The encoded runs of a line, without decoding: the pre-existing set HID-005 compares with. */
export function blobTexts(line: string): string[] {
  const out: string[] = [];
  forEachRun(line, (s, e) => {
    if (e - s < MIN_DATA_URI) return;
    const raw = line.slice(s, e);
    out.push(raw);
    if (raw.startsWith("0x")) out.push(raw.slice(2));
    if (raw.includes("/") && /[-_]/.test(raw)) for (const part of raw.split("/")) out.push(part);
  });
  return out;
}

/** Calls `fn` for every maximal run of base64/base64url characters (with its trailing `=` padding). */
function forEachRun(
  line: string,
  fn: (start: number, end: number, ctx: { wordStart: number; inUrl: boolean; chainStart: number }) => void,
): void {
  let wordStart = 0;
  let urlWord = -1;
  let chainStart = 0;
  let runStart = -1;
  let runChain = 0;
  const n = line.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? line.charCodeAt(i) : -1;
    if (isB64(c)) {
      if (runStart < 0) {
        runStart = i;
        runChain = chainStart;
      }
    } else if (runStart >= 0) {
      let end = i;
      while (end < n && end - i < 2 && line.charCodeAt(end) === 61 /* = */) end++;
      fn(runStart, end, { wordStart, inUrl: urlWord === wordStart, chainStart: runChain });
      runStart = -1;
    }
    if (isDelimiter(c)) wordStart = i + 1;
    if (c === 58 /* : */ && line.charCodeAt(i + 1) === 47 && line.charCodeAt(i + 2) === 47)
      urlWord = wordStart;
    if (!isChain(c)) chainStart = i + 1;
  }
}

/** Every blob of a line that HID-005 should report, decoded. */
export function findBlobs(
  line: string,
  budget: { chars: number } = { chars: Number.POSITIVE_INFINITY },
  accept: (encoded: string) => boolean = () => true,
): Blob[] {
  const out: Blob[] = [];
  if (!mayHaveBlob(line)) return out;
  forEachRun(line, (start, end, ctx) => {
    if (budget.chars <= 0) return;
    let s = start;
    const raw = line.slice(start, end);
    // data: URI payload
    const uri = dataUri(line, start);
    if (uri) {
      if (end - start < MIN_DATA_URI || !accept(raw)) return;
      budget.chars -= raw.length;
      const bytes = decodeBase64(raw);
      const decoded = classify(bytes);
      if (decoded.kind === "binary" && uri.mime.startsWith("image/")) {
        const format = imageFormat(bytes);
        if (format)
          out.push({
            index: start,
            end,
            encoding: "data-uri",
            encoded: raw,
            mime: uri.mime,
            decoded: { kind: "image", format, bytes: base64Size(raw) },
          });
        else out.push({ index: start, end, encoding: "data-uri", encoded: raw, mime: uri.mime, decoded });
        return;
      }
      out.push({
        index: start,
        end,
        encoding: "data-uri",
        encoded: raw,
        mime: uri.mime,
        decoded: decoded.kind === "binary" ? { ...decoded, bytes: base64Size(raw) } : decoded,
      });
      return;
    }
    let body = raw.replace(/=+$/, "");
    if (body.length < MIN_BLOB || INTEGRITY.test(body)) return;
    // 0x-prefixed hex
    if (body.startsWith("0x") && /^[0-9a-fA-F]+$/.test(body.slice(2))) {
      s += 2;
      body = body.slice(2);
    }
    if (/^[0-9a-fA-F]+$/.test(body)) {
      if (!accept(body)) return;
      const blob = hexBlob(line, s, body, ctx.inUrl, budget);
      if (blob) out.push(blob);
      return;
    }
    const mixed = /[+/]/.test(body) && /[-_]/.test(body);
    if (mixed) {
      // Not one base64 alphabet: a path or a name with slashes; judge its slash-separated parts.
      let at = start;
      for (const part of body.split("/")) {
        if (part.length >= MIN_BLOB && !/[+]/.test(part) && accept(part)) {
          const blob = base64Blob(line, at, part, ctx, budget);
          if (blob) out.push(blob);
        }
        at += part.length + 1;
      }
      return;
    }
    if (!accept(raw)) return;
    const blob = base64Blob(line, start, raw, ctx, budget);
    if (blob) out.push(blob);
  });
  return out;
}

function base64Blob(
  line: string,
  start: number,
  raw: string,
  ctx: { wordStart: number; inUrl: boolean; chainStart: number },
  budget: { chars: number },
): Blob | undefined {
  const body = raw.replace(/=+$/, "");
  if (body.length < MIN_BLOB) return undefined;
  const end = start + raw.length;
  // JWT-shaped chains are secrets (SEC rules).
  if (line.startsWith("eyJ", ctx.chainStart) && (line[start - 1] === "." || line[end] === "."))
    return undefined;
  const hasUpper = /[A-Z]/.test(body);
  const hasLower = /[a-z]/.test(body);
  const hasDigit = /[0-9]/.test(body);
  if (!hasUpper && !hasLower) return undefined;
  budget.chars -= raw.length;
  const bytes = decodeBase64(raw);
  const decoded = classify(bytes);
  const blob: Blob = { index: start, end, encoding: "base64", encoded: raw, decoded };
  if (decoded.kind === "text") return blob;
  // Binary: only runs that look like random data, and are not secrets, IDs in URLs or addresses.
  if (ctx.inUrl || !hasUpper || !hasLower || !hasDigit) return undefined;
  if (transitions(body) < 0.42) return undefined;
  if (SECRET_PREFIX.test(body)) return undefined;
  if (SECRET_CONTEXT.test(line.slice(Math.max(0, start - 60), start))) return undefined;
  if (body.length <= 44 && !/[0OIl+/_-]/.test(body)) return undefined; // base58 address
  blob.decoded = { ...decoded, bytes: base64Size(raw) };
  return blob;
}

function hexBlob(
  line: string,
  start: number,
  body: string,
  inUrl: boolean,
  budget: { chars: number },
): Blob | undefined {
  if (body.length % 2 === 1) return undefined;
  if (!/[0-9]/.test(body) || !/[a-fA-F]/.test(body)) return undefined;
  budget.chars -= body.length;
  const bytes = Buffer.from(body.slice(0, MAX_DECODE_CHARS), "hex");
  const decoded = classify(bytes);
  const blob: Blob = { index: start, end: start + body.length, encoding: "hex", encoded: body, decoded };
  if (decoded.kind === "text") return blob;
  if (inUrl || HASH_LENGTHS.has(body.length)) return undefined;
  const before = line.slice(Math.max(0, start - 24), start);
  if (HASH_CONTEXT.test(before) || SECRET_CONTEXT.test(before)) return undefined;
  blob.decoded = { ...decoded, bytes: body.length / 2 };
  return blob;
}

/** A `data:<mime>[;param]*;base64,` prefix ending right before `start`. */
function dataUri(line: string, start: number): { mime: string } | undefined {
  if (start < 13 || line[start - 1] !== ",") return undefined;
  const head = line.slice(Math.max(0, start - 200), start);
  const lower = head.toLowerCase();
  if (!lower.endsWith(";base64,")) return undefined;
  const at = lower.lastIndexOf("data:");
  if (at < 0) return undefined;
  const meta = head.slice(at + 5, head.length - 8);
  if (/[\s"'<>]/.test(meta)) return undefined;
  const mime = (meta.split(";")[0] ?? "").toLowerCase();
  return { mime: mime === "" ? "text/plain" : mime };
}

function decodeBase64(raw: string): Uint8Array {
  let s = raw.length > MAX_DECODE_CHARS ? raw.slice(0, MAX_DECODE_CHARS) : raw;
  // Node decodes both alphabets; a stray last character of a 4n+1 run carries no full byte.
  if (s.replace(/=+$/, "").length % 4 === 1) s = s.replace(/=+$/, "").slice(0, -1);
  return new Uint8Array(Buffer.from(s, "base64"));
}

function base64Size(raw: string): number {
  const body = raw.replace(/=+$/, "");
  return Math.floor((body.length * 3) / 4);
}

/** Share of adjacent characters in different classes (upper, lower, digit, symbol): ~0.64 for random base64. */
function transitions(s: string): number {
  let changes = 0;
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c >= 65 && c <= 90 ? 0 : c >= 97 && c <= 122 ? 1 : c >= 48 && c <= 57 ? 2 : 3;
    if (prev >= 0 && k !== prev) changes++;
    prev = k;
  }
  return s.length > 1 ? changes / (s.length - 1) : 0;
}

/** Text, image or other binary; compressed data is inflated and judged again. */
export function classify(bytes: Uint8Array): Decoded {
  const text = asText(bytes);
  if (text !== undefined) return { kind: "text", text: text.text, ...(text.via ? { via: text.via } : {}) };
  const compressed = compression(bytes);
  if (compressed) {
    try {
      const out =
        compressed === "gzip"
          ? gunzipSync(bytes, { maxOutputLength: MAX_INFLATE })
          : inflateSync(bytes, { maxOutputLength: MAX_INFLATE });
      const inner = asText(new Uint8Array(out));
      if (inner !== undefined) return { kind: "text", text: inner.text, via: `${compressed}-compressed` };
    } catch {
      // Truncated, corrupt or larger than the limit: reported as compressed binary.
    }
    return { kind: "binary", bytes: bytes.length, format: `${compressed}-compressed data` };
  }
  const format = imageFormat(bytes) ?? otherFormat(bytes);
  return { kind: "binary", bytes: bytes.length, ...(format ? { format } : {}) };
}

function compression(b: Uint8Array): "gzip" | "zlib" | undefined {
  if (b[0] === 0x1f && b[1] === 0x8b) return "gzip";
  if (b[0] === 0x78 && (b[1] === 0x01 || b[1] === 0x5e || b[1] === 0x9c || b[1] === 0xda)) return "zlib";
  return undefined;
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  return sig.every((x, i) => b[at + i] === x);
}

function imageFormat(b: Uint8Array): string | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return "PNG image";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "JPEG image";
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return "GIF image";
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8))
    return "WebP image";
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return "ICO image";
  if (startsWith(b, [0x66, 0x74, 0x79, 0x70], 4)) return "AVIF/HEIF image";
  if (startsWith(b, [0x42, 0x4d])) return "BMP image";
  return undefined;
}

function otherFormat(b: Uint8Array): string | undefined {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) return "PDF document";
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return "ZIP archive";
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return "ELF executable";
  if (startsWith(b, [0x4d, 0x5a])) return "Windows executable";
  return undefined;
}

const UTF8 = new TextDecoder("utf-8");
const UTF16 = new TextDecoder("utf-16le");
// biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/g;
const LETTER = /\p{L}/u;

/** Decoded bytes as text when they are mostly printable (UTF-8, or UTF-16LE as PowerShell encodes). */
function asText(bytes: Uint8Array): { text: string; via?: string } | undefined {
  if (bytes.length < 8) return undefined;
  let zeros = 0;
  for (let i = 1; i < bytes.length; i += 2) if (bytes[i] === 0) zeros++;
  if (bytes.length % 2 === 0 && zeros >= (bytes.length / 2) * 0.8) {
    const t = UTF16.decode(bytes);
    return printable(t) ? { text: t, via: "UTF-16LE" } : undefined;
  }
  const t = UTF8.decode(bytes);
  return printable(t) ? { text: t } : undefined;
}

function printable(t: string): boolean {
  if (!LETTER.test(t)) return false;
  const bad = t.match(UNPRINTABLE)?.length ?? 0;
  return bad <= t.length * MAX_UNPRINTABLE;
}
