/**
 * RFC 9162 §2.1 Merkle tree hashing over change-log lines.
 *   leaf  = SHA-256(0x00 ‖ UTF-8 bytes of the record's canonical line)
 *   node  = SHA-256(0x01 ‖ left ‖ right)
 *   MTH({}) = SHA-256(""); a tree of n > 1 leaves splits at k, the largest power of two smaller than n;
 *   odd nodes are never duplicated.
 * MerkleFrontier keeps only the roots of the perfect subtrees (the "compact range" [0, n)), so appending a leaf
 * and computing the root take O(log n) time and memory.
 */
import { createHash, hash } from "node:crypto";

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** Root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = hash("sha256", "", "buffer");

/** Leaf hash of a canonical record line (a string, hashed as UTF-8) or of raw leaf bytes. */
export function leafHash(line: string | Uint8Array): Buffer {
  if (typeof line === "string") return hash("sha256", `\u0000${line}`, "buffer");
  return createHash("sha256").update(LEAF_PREFIX).update(line).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

function fromHex(h: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(h)) throw new Error(`not a 32-byte hex hash: ${JSON.stringify(h)}`);
  return Buffer.from(h, "hex");
}

/** Perfect-subtree roots of the tree [0, size), left to right: enough to append and to compute the root. */
export class MerkleFrontier {
  private readonly nodes: Buffer[];
  private count: number;

  constructor() {
    this.nodes = [];
    this.count = 0;
  }

  /** Rebuilds a frontier from `LogState.frontier` (hex) and the tree size it belongs to. */
  static from(hex: readonly string[], size: number): MerkleFrontier {
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`invalid tree size ${size}`);
    if (hex.length !== popcount(size)) {
      throw new Error(`a frontier of a tree of size ${size} has ${popcount(size)} nodes, got ${hex.length}`);
    }
    const f = new MerkleFrontier();
    for (const h of hex) f.nodes.push(fromHex(h));
    f.count = size;
    return f;
  }

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash (see leafHash). */
  push(leaf: Uint8Array): void {
    let node: Buffer = Buffer.from(leaf);
    // Each trailing 1 bit of the old size is a perfect subtree that merges with the new node.
    for (let s = this.count; s % 2 === 1; s = (s - 1) / 2) node = nodeHash(this.nodes.pop()!, node);
    this.nodes.push(node);
    this.count += 1;
  }

  /** MTH of the whole tree. */
  root(): Buffer {
    if (this.nodes.length === 0) return Buffer.from(EMPTY_ROOT);
    let r: Buffer = this.nodes[this.nodes.length - 1]!;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i]!, r);
    return r;
  }

  toHex(): string[] {
    return this.nodes.map((n) => n.toString("hex"));
  }

  clone(): MerkleFrontier {
    return MerkleFrontier.from(this.toHex(), this.count);
  }
}

/** MTH over a list of leaf hashes, in O(n) time and O(log n) extra memory. */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  const f = new MerkleFrontier();
  for (const l of leaves) f.push(l);
  return f.root();
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the inclusion proof of leaf `index`, bottom to top. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new Error(`leaf index ${index} out of range for a tree of size ${leaves.length}`);
  }
  const path: Buffer[] = [];
  let lo = 0;
  let hi = leaves.length;
  let m = index;
  // Walk down from the root, collecting the sibling subtree roots, then reverse (the RFC lists them leaf first).
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      path.push(merkleRoot(leaves.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      path.push(merkleRoot(leaves.slice(lo, lo + k)));
      lo += k;
      m -= k;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.3.2: verifies that `leaf` is at `index` of the tree of `size` leaves with root `root`. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        // Right-shift fn and sn equally until the LSB of fn is set or fn is 0.
        while (fn % 2 === 0 && fn !== 0) {
          fn = fn / 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(Buffer.from(root));
}
