/** The policy file at a commit of a GitHub repository, read through the API as `check` reads it from a clone. */
import { decodeBlob, MAX_FILE_BYTES } from "../core/parse/decode.js";
import { POLICY_PATHS } from "../core/policy/resolve.js";
import type { GitHubBranchHistory } from "../github/branch-history.js";
import { LogUsageError } from "./log-options.js";

/** The first of POLICY_PATHS present at `ref` with its text, or the first path with no text (no policy file). */
export async function policyTextAt(
  history: GitHubBranchHistory,
  ref: string,
): Promise<{ path: string; text: string | undefined }> {
  const reads = await history.files(
    POLICY_PATHS.map((p) => `${ref}:${p}`),
    MAX_FILE_BYTES,
  );
  for (const path of POLICY_PATHS) {
    const read = reads.get(`${ref}:${path}`);
    if (!read || read.kind === "missing") continue;
    if (read.kind === "raw")
      throw new LogUsageError(`the policy file ${path} is binary or too long to read as text`);
    const decoded = decodeBlob(read.blob);
    if (!decoded.ok) throw new LogUsageError(`the policy file ${path}: ${decoded.message}`);
    return { path, text: decoded.text };
  }
  return { path: POLICY_PATHS[0], text: undefined };
}
