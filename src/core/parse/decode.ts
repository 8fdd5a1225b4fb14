import type { FileBlob } from "../types.js";
import { stripBom } from "./source.js";

/** Largest agent-config file the engine reads. Real ones are a few KB; the corpus maximum is 31 KB. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** How many leading bytes are searched for a NUL byte to call a file binary (what git does). */
const BINARY_SNIFF_BYTES = 8000;
/** Keeps the BOM for stripBom to drop: by default TextDecoder drops it too, and a second one with it. */
const STRICT_UTF8 = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });

export type DecodeResult =
  | { ok: true; text: string }
  | {
      ok: false;
      code: "too-large" | "binary" | "invalid-utf8" | "symlink" | "submodule";
      message: string;
      line: number;
    };

/** Turns a blob into text, or says precisely why it cannot be checked as an agent config. */
export function decodeBlob(blob: FileBlob, maxBytes = MAX_FILE_BYTES): DecodeResult {
  if (blob.mode === "symlink") {
    return {
      ok: false,
      code: "symlink",
      message:
        "is a symbolic link. Agent tools follow it, so the config that takes effect is its target, which can change without this check seeing it; commit the file itself instead of a link",
      line: 1,
    };
  }
  if (blob.mode === "submodule") {
    return {
      ok: false,
      code: "submodule",
      message: "is a git submodule, not a file; it cannot be checked",
      line: 1,
    };
  }
  if (blob.size > maxBytes || blob.data === undefined) {
    return {
      ok: false,
      code: "too-large",
      message: `is ${formatBytes(blob.size)}, over the ${formatBytes(maxBytes)} limit for agent-config files; it was not checked`,
      line: 1,
    };
  }
  const data = blob.data;
  const nul = data.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul >= 0) {
    return {
      ok: false,
      code: "binary",
      message: `is binary (NUL byte at offset ${nul}); agent configs must be text`,
      line: lineAt(data, nul),
    };
  }
  let text: string;
  try {
    // The native decoder validates fast; the byte-level scan runs only to say where a failure is.
    text = STRICT_UTF8.decode(data);
  } catch {
    const bad = firstInvalidUtf8(data);
    return {
      ok: false,
      code: "invalid-utf8",
      message: `is not valid UTF-8 (byte ${Math.max(bad, 0)}); agent tools may read it differently from reviewers`,
      line: lineAt(data, Math.max(bad, 0)),
    };
  }
  return { ok: true, text: stripBom(text) };
}

/** 1-based line of a byte offset, counting `\r\n`, `\n` and a lone `\r` as LineIndex does. */
function lineAt(data: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (data[i] === 10 || (data[i] === 13 && data[i + 1] !== 10)) line++;
  }
  return line;
}

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(data: Uint8Array): number {
  const n = data.length;
  let i = 0;
  while (i < n) {
    const b = data[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = data[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
