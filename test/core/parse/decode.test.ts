import { describe, expect, test } from "@jest/globals";
import { decodeBlob, firstInvalidUtf8, formatBytes, MAX_FILE_BYTES } from "../../../src/core/parse/decode.js";
import { parseText } from "../../../src/core/parse/index.js";
import type { FileBlob } from "../../../src/core/types.js";

const enc = new TextEncoder();

/** Bytes from a mix of text (UTF-8 encoded) and raw byte values. */
function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const blob = (data: Uint8Array, mode?: FileBlob["mode"]): FileBlob => ({ size: data.length, data, mode });

describe("decodeBlob: text", () => {
  test("valid UTF-8 text is returned as is", () => {
    expect(decodeBlob(blob(bytes("a: 1\nb: é😀\n")))).toEqual({ ok: true, text: "a: 1\nb: é😀\n" });
  });

  test("an empty file is text", () => {
    expect(decodeBlob(blob(new Uint8Array(0)))).toEqual({ ok: true, text: "" });
  });

  test("a UTF-8 BOM is stripped", () => {
    expect(decodeBlob(blob(bytes([0xef, 0xbb, 0xbf], "{}")))).toEqual({ ok: true, text: "{}" });
  });

  test("only one BOM is stripped: a second U+FEFF is content, as editors show it", () => {
    const r = decodeBlob(blob(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], "{}")));
    expect(r).toEqual({ ok: true, text: "\uFEFF{}" });
  });

  test("after a BOM, parsed columns do not count it", () => {
    const r = decodeBlob(blob(bytes([0xef, 0xbb, 0xbf], '{"a": 1, "b" 2}')));
    if (!r.ok) throw new Error("expected text");
    const doc = parseText(r.text, "json");
    // `{"a": 1, "b" 2}`: the 2 missing its colon is column 14 without the BOM
    expect(doc.messages).toEqual([
      expect.objectContaining({ line: 1, column: 14, severity: "error", code: "syntax" }),
    ]);
  });

  test("CRLF text is kept byte for byte", () => {
    expect(decodeBlob(blob(bytes("a\r\nb\r\n")))).toEqual({ ok: true, text: "a\r\nb\r\n" });
  });
});

describe("decodeBlob: binary", () => {
  test("a NUL byte makes the file binary, reported on the NUL's line", () => {
    const r = decodeBlob(blob(bytes("ab\ncd\n", [0], "ef")));
    expect(r).toEqual({
      ok: false,
      code: "binary",
      message: "is binary (NUL byte at offset 6); agent configs must be text",
      line: 3,
    });
  });

  test("the NUL's line counts CRLF once and a lone CR as a line end", () => {
    const r = decodeBlob(blob(bytes("a\r\nb\rc\n", [0])));
    expect(r).toMatchObject({ ok: false, code: "binary", line: 4 });
  });

  test("binary wins over invalid UTF-8", () => {
    expect(decodeBlob(blob(bytes([0xff], "x", [0])))).toMatchObject({ ok: false, code: "binary", line: 1 });
  });

  test("only the first 8000 bytes are sniffed for NUL, as git does", () => {
    expect(decodeBlob(blob(bytes("a".repeat(7999), [0])))).toMatchObject({ ok: false, code: "binary" });
    expect(decodeBlob(blob(bytes("a".repeat(8000), [0])))).toEqual({
      ok: true,
      text: `${"a".repeat(8000)}\0`,
    });
  });
});

describe("decodeBlob: invalid UTF-8", () => {
  test("reports the byte offset and line of the first bad byte", () => {
    const r = decodeBlob(blob(bytes("a: 1\nb: ", [0xc0, 0xaf], "\n")));
    expect(r).toEqual({
      ok: false,
      code: "invalid-utf8",
      message: "is not valid UTF-8 (byte 8); agent tools may read it differently from reviewers",
      line: 2,
    });
  });

  test("the line counts CRLF once and a lone CR as a line end", () => {
    expect(decodeBlob(blob(bytes("a\r\nb\r\n", [0xff])))).toMatchObject({ code: "invalid-utf8", line: 3 });
    expect(decodeBlob(blob(bytes("a\rb\r", [0xff])))).toMatchObject({ code: "invalid-utf8", line: 3 });
  });
});

describe("firstInvalidUtf8", () => {
  test.each([
    ["ASCII", bytes("plain ascii\n")],
    ["2-byte ¢ (C2 A2)", bytes([0xc2, 0xa2])],
    ["3-byte € (E2 82 AC)", bytes([0xe2, 0x82, 0xac])],
    ["4-byte 😀 (F0 9F 98 80)", bytes([0xf0, 0x9f, 0x98, 0x80])],
    ["smallest 2-byte U+0080 (C2 80)", bytes([0xc2, 0x80])],
    ["smallest 3-byte U+0800 (E0 A0 80)", bytes([0xe0, 0xa0, 0x80])],
    ["smallest 4-byte U+10000 (F0 90 80 80)", bytes([0xf0, 0x90, 0x80, 0x80])],
    ["last before surrogates U+D7FF (ED 9F BF)", bytes([0xed, 0x9f, 0xbf])],
    ["first after surrogates U+E000 (EE 80 80)", bytes([0xee, 0x80, 0x80])],
    ["U+FFFF (EF BF BF)", bytes([0xef, 0xbf, 0xbf])],
    ["largest U+10FFFF (F4 8F BF BF)", bytes([0xf4, 0x8f, 0xbf, 0xbf])],
    ["BOM (EF BB BF)", bytes([0xef, 0xbb, 0xbf], "x")],
    ["empty", new Uint8Array(0)],
  ])("valid: %s", (_name, data) => {
    expect(firstInvalidUtf8(data)).toBe(-1);
  });

  test.each([
    ["lone continuation byte", bytes("ab", [0x80]), 2],
    ["continuation byte at the start", bytes([0xbf], "a"), 0],
    ["overlong 2-byte '/' (C0 AF)", bytes("x", [0xc0, 0xaf]), 1],
    ["overlong 2-byte (C1 BF)", bytes([0xc1, 0xbf]), 0],
    ["overlong 3-byte '/' (E0 80 AF)", bytes("ab", [0xe0, 0x80, 0xaf]), 2],
    ["overlong 3-byte U+07FF (E0 9F BF)", bytes([0xe0, 0x9f, 0xbf]), 0],
    ["overlong 4-byte '/' (F0 80 80 AF)", bytes([0xf0, 0x80, 0x80, 0xaf]), 0],
    ["overlong 4-byte U+FFFF (F0 8F BF BF)", bytes([0xf0, 0x8f, 0xbf, 0xbf]), 0],
    ["high surrogate U+D800 (ED A0 80)", bytes("ok", [0xed, 0xa0, 0x80]), 2],
    ["low surrogate U+DFFF (ED BF BF)", bytes([0xed, 0xbf, 0xbf]), 0],
    ["above U+10FFFF (F4 90 80 80)", bytes("a", [0xf4, 0x90, 0x80, 0x80]), 1],
    ["lead byte F5", bytes([0xf5, 0x80, 0x80, 0x80]), 0],
    ["byte FF", bytes("abc", [0xff]), 3],
    ["byte FE", bytes([0xfe]), 0],
    ["truncated 2-byte at the end", bytes("ok", [0xc3]), 2],
    ["truncated 3-byte at the end", bytes("ok", [0xe2, 0x82]), 2],
    ["truncated 4-byte at the end", bytes("ok", [0xf0, 0x9f, 0x98]), 2],
    ["bad continuation (E2 28 A1)", bytes([0xe2, 0x28, 0xa1]), 0],
    ["4-byte lead followed by ASCII", bytes([0xf0, 0x41, 0x41, 0x41]), 0],
    ["valid sequences, then a bad one", bytes("é€😀", [0x80]), 9],
  ])("invalid: %s", (_name, data, at) => {
    expect(firstInvalidUtf8(data)).toBe(at);
  });
});

describe("decodeBlob: entries that are not files", () => {
  test("a symlink is reported on line 1, even with readable data", () => {
    const r = decodeBlob(blob(bytes("../target.json"), "symlink"));
    expect(r).toMatchObject({ ok: false, code: "symlink", line: 1 });
    if (!r.ok) expect(r.message).toContain("symbolic link");
  });

  test("a submodule is reported on line 1", () => {
    expect(decodeBlob({ size: 0, mode: "submodule" })).toMatchObject({
      ok: false,
      code: "submodule",
      line: 1,
    });
  });

  test("executable files are read like plain files", () => {
    expect(decodeBlob(blob(bytes("#!/bin/sh\n"), "executable"))).toEqual({ ok: true, text: "#!/bin/sh\n" });
  });
});

describe("decodeBlob: too large", () => {
  test("a size over the limit is too-large even when the data was read", () => {
    const data = bytes("x".repeat(11));
    expect(decodeBlob(blob(data), 10)).toEqual({
      ok: false,
      code: "too-large",
      message: "is 11 B, over the 10 B limit for agent-config files; it was not checked",
      line: 1,
    });
  });

  test("missing data (the adapter did not read it) is too-large", () => {
    expect(decodeBlob({ size: 5 * 1024 * 1024 })).toMatchObject({
      ok: false,
      code: "too-large",
      message: "is 5.0 MB, over the 1.0 MB limit for agent-config files; it was not checked",
    });
    expect(decodeBlob({ size: 3 })).toMatchObject({ ok: false, code: "too-large", line: 1 });
  });

  test("exactly the limit is read", () => {
    expect(decodeBlob(blob(bytes("x".repeat(10))), 10)).toEqual({ ok: true, text: "x".repeat(10) });
    const big = new Uint8Array(MAX_FILE_BYTES).fill(0x61);
    expect(decodeBlob(blob(big)).ok).toBe(true);
    expect(decodeBlob({ size: MAX_FILE_BYTES + 1, data: big }).ok).toBe(false);
  });
});

describe("formatBytes", () => {
  test.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KB"],
    [10239, "10.0 KB"],
    [10240, "10 KB"],
    [31 * 1024 + 512, "32 KB"],
    [1024 * 1024, "1.0 MB"],
    [1536 * 1024, "1.5 MB"],
  ])("%d bytes is %s", (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
