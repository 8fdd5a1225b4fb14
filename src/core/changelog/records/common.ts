/** Small shapes every builder shares. */
import type { Actor } from "../../approvals/types.js";
import type { AccountRef, ChangedFileFacts, RecordException, RecordResult } from "./types.js";

/** An account known by login: its id from the adapter's map when it has one. */
export function loginRef(
  login: string,
  ids: Record<string, string> | undefined,
): { login: string; id: string | null } {
  return { login, id: ids?.[login] ?? null };
}

export function actorRef(actor: Actor, ids: Record<string, string> | undefined): AccountRef {
  return { login: actor.login, id: ids?.[actor.login] ?? null, type: actor.type };
}

/** In-scope files as the log stores them, sorted by path; `previous_path` is null unless renamed. */
export function fileEntries(files: readonly ChangedFileFacts[]) {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({
      path: f.path,
      previous_path: f.previous_path ?? null,
      status: f.status,
      category: f.category,
      format: f.format,
      blob_before: f.blob_before,
      blob_after: f.blob_after,
    }));
}

export function outcome(exceptions: readonly RecordException[]): {
  result: RecordResult;
  exceptions: RecordException[];
} {
  return { result: exceptions.length > 0 ? "exception" : "pass", exceptions: [...exceptions] };
}
