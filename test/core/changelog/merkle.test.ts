import { createHash, randomBytes } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import {
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  merkleRoot,
  nodeHash,
  verifyInclusion,
} from "../../../src/core/changelog/merkle.js";

const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 9162 §2.1.1 MTH, written directly from the definition (recursive, over the raw entries). */
function mth(entries: readonly Buffer[]): Buffer {
  const n = entries.length;
  if (n === 0) return sha();
  if (n === 1) return sha(Buffer.from([0]), entries[0]!);
  let k = 1;
  while (k < n) k <<= 1;
  k >>= 1; // largest power of two smaller than n
  return sha(Buffer.from([1]), mth(entries.slice(0, k)), mth(entries.slice(k)));
}

// Certificate Transparency reference inputs (RFC 6962 test data) and their published roots for sizes 1..8.
const CT_ENTRIES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((h) => Buffer.from(h, "hex"));
const CT_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

const randomEntries = (n: number) => Array.from({ length: n }, (_, i) => randomBytes(1 + (i % 40)));

describe("RFC 9162 Merkle tree", () => {
  test("the empty tree's root is SHA-256 of the empty string", () => {
    expect(EMPTY_ROOT.toString("hex")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(new MerkleFrontier().root().equals(EMPTY_ROOT)).toBe(true);
  });

  test("reproduces the Certificate Transparency reference roots for sizes 1..8", () => {
    const leaves = CT_ENTRIES.map((e) => leafHash(e));
    for (let n = 1; n <= 8; n++) expect(merkleRoot(leaves.slice(0, n)).toString("hex")).toBe(CT_ROOTS[n - 1]);
  });

  test("leafHash of a line is SHA-256(0x00 ‖ UTF-8 bytes); nodeHash is SHA-256(0x01 ‖ l ‖ r)", () => {
    const line = '{"title":"ünïcode 😀"}';
    expect(leafHash(line).equals(sha(Buffer.from([0]), Buffer.from(line, "utf8")))).toBe(true);
    expect(leafHash(line).equals(leafHash(Buffer.from(line, "utf8")))).toBe(true);
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect(nodeHash(a, b).equals(sha(Buffer.from([1]), a, b))).toBe(true);
    expect(nodeHash(a, b).equals(nodeHash(b, a))).toBe(false);
  });

  test("the frontier's root equals the recursive MTH for every size 0..70 of random data", () => {
    const entries = randomEntries(70);
    const f = new MerkleFrontier();
    expect(f.root().equals(mth([]))).toBe(true);
    for (let n = 1; n <= 70; n++) {
      f.push(leafHash(entries[n - 1]!));
      expect(f.size).toBe(n);
      expect(f.root().toString("hex")).toBe(mth(entries.slice(0, n)).toString("hex"));
    }
  });

  test("the frontier keeps one node per set bit of the size and survives a hex round trip", () => {
    const entries = randomEntries(45);
    const f = new MerkleFrontier();
    for (let n = 1; n <= 45; n++) {
      f.push(leafHash(entries[n - 1]!));
      const bits = n.toString(2).replace(/0/g, "").length;
      expect(f.toHex()).toHaveLength(bits);
      const g = MerkleFrontier.from(f.toHex(), n);
      expect(g.root().equals(f.root())).toBe(true);
    }
    // Continuing from a restored frontier gives the same tree as never stopping.
    const restored = MerkleFrontier.from(f.toHex(), 45);
    const extra = randomEntries(20);
    for (const e of extra) restored.push(leafHash(e));
    expect(restored.root().equals(mth([...entries, ...extra]))).toBe(true);
  });

  test("MerkleFrontier.from rejects a frontier that does not fit the size", () => {
    const hex = "ab".repeat(32);
    expect(() => MerkleFrontier.from([hex], 3)).toThrow(/2 nodes/);
    expect(() => MerkleFrontier.from([hex, hex], 4)).toThrow(/1 nodes/);
    expect(() => MerkleFrontier.from(["xyz"], 1)).toThrow(/hex/);
  });

  test("inclusion proofs match the RFC 6962 reference path for leaf 0 of 8", () => {
    const leaves = CT_ENTRIES.map((e) => leafHash(e));
    expect(inclusionProof(leaves, 0).map((b) => b.toString("hex"))).toEqual([
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]);
  });

  test("every index of several sizes has an inclusion proof that verifies, and only there", () => {
    for (const size of [1, 2, 3, 5, 7, 8, 9, 16, 17, 31, 33, 70]) {
      const entries = randomEntries(size);
      const leaves = entries.map((e) => leafHash(e));
      const root = mth(entries);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(leaves, i);
        expect(verifyInclusion(leaves[i]!, i, size, proof, root)).toBe(true);
        // Wrong index, wrong size, wrong leaf, altered path, wrong root, truncated/extended path: all fail.
        if (size > 1) {
          expect(verifyInclusion(leaves[i]!, (i + 1) % size, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[(i + 1) % size]!, i, size, proof, root)).toBe(false);
          const altered = proof.map((p, j) => (j === proof.length - 1 ? nodeHash(p, p) : p));
          expect(verifyInclusion(leaves[i]!, i, size, altered, root)).toBe(false);
          expect(verifyInclusion(leaves[i]!, i, size, proof.slice(1), root)).toBe(false);
        }
        // A size whose path from leaf i has another length cannot verify (the RFC algorithm checks sn ends at 0).
        expect(verifyInclusion(leaves[i]!, i, size * 4 + 1, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[i]!, i, size, [...proof, root], root)).toBe(false);
        expect(verifyInclusion(leaves[i]!, i, size, proof, sha(root))).toBe(false);
      }
      expect(verifyInclusion(leaves[0]!, size, size, [], root)).toBe(false);
      expect(() => inclusionProof(leaves, size)).toThrow(/out of range/);
    }
  });
});
