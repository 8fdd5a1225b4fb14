import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  Actor,
  ApprovalFacts,
  IssueComment,
  PrCommit,
  Review,
  ReviewState,
} from "../core/approvals/index.js";
import { decodeBlob } from "../core/parse/decode.js";
import { parseText } from "../core/parse/index.js";
import type { ValidationMessage } from "../core/types.js";
import { schemaMessages } from "../core/validate/ajv-messages.js";
import { type CompiledSchema, SchemaSet } from "../core/validate/schema-set.js";
import { SCHEMA_DIR } from "../schemas.js";

/** The pull request's state as `simulate --pr-state` reads it (schemas/pr-state.schema.json). */
export interface PrStateFile {
  author: ActorInput;
  headSha?: string;
  baseRef?: string;
  labels?: string[];
  requesters?: string[];
  reviews?: { id?: number; user: ActorInput; state: ReviewState; commitId?: string; submittedAt?: string }[];
  commits?: { sha: string; authorLogin?: string | null; committerLogin?: string | null; message?: string }[];
  pushers?: string[];
  comments?: { id?: number; author: ActorInput; body: string; createdAt?: string }[];
  contentIdenticalCommits?: string[];
  teams?: Record<string, string[]>;
  permissions?: ApprovalFacts["permissions"];
  /** The pull request itself, for `record`. */
  pullRequest?: {
    number: number;
    title: string;
    url?: string;
    body?: string;
    nodeId?: string;
    headRef?: string;
    mergedBy: ActorInput;
    mergedAt: string;
    mergeMethod?: "merge" | "squash" | "rebase";
    repository: { id: string; fullName: string };
  };
}
type ActorInput = string | { login: string; type?: Actor["type"] };

export type PrStateLoad = { ok: true; state: PrStateFile } | { ok: false; messages: ValidationMessage[] };

let validator: CompiledSchema | undefined;

/** schemas/pr-state.schema.json, compiled once per process. */
function prStateSchema(): CompiledSchema {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, "pr-state.schema.json"), "utf8"));
    validator = new SchemaSet(new Map([["pr-state", schema]])).builtinSchema("pr-state");
  }
  return validator;
}

/**
 * Reads a `--pr-state` file's bytes: strict JSON, checked against the schema; every problem positioned at
 * file:line:column (unknown keys are errors: a misspelt `reviews` would silently simulate no reviews).
 */
export function loadPrState(label: string, blob: { size: number; data?: Uint8Array }): PrStateLoad {
  const decoded = decodeBlob(blob);
  if (!decoded.ok) {
    return {
      ok: false,
      messages: [
        {
          path: label,
          line: decoded.line,
          column: 1,
          severity: "error",
          code: decoded.code,
          message: decoded.message,
        },
      ],
    };
  }
  const doc = parseText(decoded.text, "json");
  // Comments or trailing commas are fine to read; anything else the parser says is an error here.
  const messages: ValidationMessage[] = doc.messages
    .filter((m) => m.code !== "not-strict-json")
    .map((m) => ({ path: label, ...m, severity: "error" as const }));
  if (doc.data === undefined || messages.length > 0) {
    return { ok: false, messages: messages.length > 0 ? messages : [emptyFile(label)] };
  }
  const problems = schemaMessages(prStateSchema().validate(doc.data), doc, label, "error");
  if (problems.some((m) => m.severity === "error")) return { ok: false, messages: problems };
  return { ok: true, state: doc.data as PrStateFile };
}

function emptyFile(path: string): ValidationMessage {
  return {
    path,
    line: 1,
    column: 1,
    severity: "error",
    code: "syntax",
    message: "is empty: expected a JSON object",
  };
}

/** A login or `{login, type}` as an Actor; a login ending in `[bot]` is a bot unless the type says otherwise. */
export function actor(input: ActorInput): Actor {
  const login = typeof input === "string" ? input : input.login;
  const type = typeof input === "string" ? undefined : input.type;
  return { login, type: type ?? (login.endsWith("[bot]") ? "Bot" : "User") };
}

/** Fixed start of the implied review times: reviews without `submittedAt` are ordered as listed. */
const LIST_ORDER_EPOCH = Date.UTC(2000, 0, 1);

/**
 * The approval facts of a simulated pull request: defaults filled in (head commit, target branch, review ids
 * and order, commit ids of reviews), CODEOWNERS from the base commit.
 */
export function factsFromPrState(
  state: PrStateFile,
  local: { headSha: string; targetBranch: string; codeowners?: { path: string; text: string } },
  now: Date,
): ApprovalFacts {
  const headSha = state.headSha ?? local.headSha;
  const reviews: Review[] = (state.reviews ?? []).map((r, i) => ({
    id: r.id ?? i + 1,
    user: actor(r.user),
    state: r.state,
    commitId: r.commitId ?? headSha,
    submittedAt: r.submittedAt ?? new Date(LIST_ORDER_EPOCH + i * 1000).toISOString(),
  }));
  const commits: PrCommit[] = (state.commits ?? []).map((c) => ({
    sha: c.sha,
    authorLogin: c.authorLogin ?? null,
    committerLogin: c.committerLogin ?? null,
    message: c.message ?? "",
  }));
  const comments: IssueComment[] = (state.comments ?? []).map((c, i) => ({
    id: c.id ?? i + 1,
    author: actor(c.author),
    body: c.body,
    createdAt: c.createdAt ?? now.toISOString(),
  }));
  return {
    author: actor(state.author),
    headSha,
    baseRef: state.baseRef ?? local.targetBranch,
    labels: state.labels ?? [],
    requesters: state.requesters ?? [],
    reviews,
    commits,
    pushers: state.pushers ?? [],
    comments,
    contentIdenticalCommits: state.contentIdenticalCommits ?? [],
    teams: state.teams ?? {},
    permissions: state.permissions ?? {},
    ...(local.codeowners ? { codeowners: local.codeowners } : {}),
  };
}
