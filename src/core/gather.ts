import { filesToRead, repoSchemaPaths } from "./evaluate.js";
import { decodeBlob } from "./parse/decode.js";
import type { ResolvedPolicy } from "./policy/resolve.js";
import type { ChangeStatus, FileBlob, FileChange } from "./types.js";

/**
 * What every adapter (the CLI's git reader, the app's GitHub reader) does between "which paths changed" and
 * `evaluateChange`: decide which blobs to read, then assemble the engine's input from what was read. One
 * implementation, so the CLI and the app judge the same facts the same way.
 */

/** One changed path, as `git diff --name-status` or GitHub's pull-request file list reports it. */
export interface ChangedPath {
  path: string;
  previousPath?: string;
  status: ChangeStatus;
}

/** A blob to read: a path at a commit. */
export interface BlobRequest {
  ref: string;
  path: string;
}

/** The commits a change is judged between, and the one its policy (and the schemas it names) came from. */
export interface ChangeSides {
  base: string;
  head: string;
  policy: string;
}

export function blobKey(ref: string, path: string): string {
  return `${ref}:${path}`;
}

/** The blobs to read: both sides of each watched changed file, and the policy's schemas on the policy side. */
export function blobRequests(
  changed: readonly ChangedPath[],
  policy: ResolvedPolicy,
  sides: ChangeSides,
): BlobRequest[] {
  const wanted = new Set(filesToRead(changed, policy));
  const requests: BlobRequest[] = [];
  for (const c of changed) {
    if (!wanted.has(c.path)) continue;
    if (c.status !== "added") requests.push({ ref: sides.base, path: c.previousPath ?? c.path });
    if (c.status !== "removed") requests.push({ ref: sides.head, path: c.path });
  }
  for (const path of repoSchemaPaths(policy)) requests.push({ ref: sides.policy, path });
  return requests;
}

/** The engine's input from the changed paths and the blobs read for them (missing blobs stay absent). */
export function assembleChanges(
  changed: readonly ChangedPath[],
  blobs: ReadonlyMap<string, FileBlob | undefined>,
  sides: Pick<ChangeSides, "base" | "head">,
): FileChange[] {
  return changed.map((c) => {
    const before =
      c.status === "added" ? undefined : blobs.get(blobKey(sides.base, c.previousPath ?? c.path));
    const after = c.status === "removed" ? undefined : blobs.get(blobKey(sides.head, c.path));
    return {
      path: c.path,
      ...(c.previousPath !== undefined ? { previousPath: c.previousPath } : {}),
      status: c.status,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    };
  });
}

/** The texts of the schemas the policy names, read on the policy side (undefined: missing or unreadable). */
export function repoSchemaTexts(
  policy: ResolvedPolicy,
  blobs: ReadonlyMap<string, FileBlob | undefined>,
  policyRef: string,
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const path of repoSchemaPaths(policy)) {
    const blob = blobs.get(blobKey(policyRef, path));
    const decoded = blob ? decodeBlob(blob) : undefined;
    out.set(path, decoded?.ok ? decoded.text : undefined);
  }
  return out;
}
