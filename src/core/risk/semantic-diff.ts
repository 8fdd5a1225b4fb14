import type { AgentModel, Hook, McpServer, PermissionRule, ToolDef } from "../model/types.js";
import type { PointerSegment } from "../parse/document.js";
import type { FileContext } from "./types.js";

export type DiffKind = "mcp-server" | "tool" | "permission" | "hook" | "setting" | "model" | "text";

/** One entity the change added, removed or changed, for the reviewer's view. */
export interface DiffEntry {
  path: string;
  kind: DiffKind;
  name: string;
  change: "added" | "removed" | "changed";
  /** What changed, in words (`command: npx → uvx`), when `change` is "changed". */
  detail?: string;
  /** Line in the head version (base version for removals). */
  line: number;
}

/**
 * The semantic diff of a change: entities of each file's model compared before and after — not text
 * lines. An unchanged entity produces nothing, so reformatting a file shows no diff.
 */
export function semanticDiff(files: readonly FileContext[]): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const f of files) {
    const before = f.before?.model;
    const after = f.after?.model;
    const line = (pointer: PointerSegment[], side: "before" | "after") => f.locate(pointer, side).line;
    const push = (
      kind: DiffKind,
      name: string,
      change: DiffEntry["change"],
      pointer: PointerSegment[],
      detail?: string,
    ) =>
      out.push({
        path: f.path,
        kind,
        name,
        change,
        line: line(pointer, change === "removed" ? "before" : "after"),
        ...(detail ? { detail } : {}),
      });

    compareMaps(before?.mcpServers, after?.mcpServers, serverFields, (name, change, entity, detail) =>
      push("mcp-server", name, change, entity.pointer, detail),
    );
    compareMaps(before?.tools, after?.tools, toolFields, (name, change, entity, detail) =>
      push("tool", name, change, entity.pointer, detail),
    );
    comparePermissions(before, after, push);
    compareModel(before, after, push);
    if (f.format.category === "prompt" || f.format.syntax === "text" || f.format.syntax === "markdown") {
      const added = f.added.length;
      const removed = f.removed.length;
      if ((added > 0 || removed > 0) && f.before && f.after) {
        push("text", "instructions", "changed", [], `+${added} / −${removed} lines`);
      }
    }
  }
  return out;
}

type Fields<T> = (entity: T) => Record<string, unknown>;

const serverFields: Fields<McpServer> = (s) => ({
  transport: s.transport,
  command: s.command,
  args: s.args.join(" "),
  url: s.url,
  env: [...s.env.keys()].sort().join(", "),
  headers: [...s.headers.keys()].sort().join(", "),
  package: s.launch ? `${s.launch.name}${s.launch.version ? `@${s.launch.version}` : ""}` : undefined,
  autoApprove: s.autoApprove.join(", "),
  trust: s.trust,
  disabled: s.disabled,
});

const toolFields: Fields<ToolDef> = (t) => ({
  description: t.description,
  inputSchema: JSON.stringify(t.inputSchema),
  annotations: JSON.stringify(t.annotations),
});

function compareMaps<T extends { pointer: PointerSegment[] }>(
  before: ReadonlyMap<string, T> | undefined,
  after: ReadonlyMap<string, T> | undefined,
  fields: Fields<T>,
  emit: (name: string, change: DiffEntry["change"], entity: T, detail?: string) => void,
): void {
  const b = before ?? new Map<string, T>();
  const a = after ?? new Map<string, T>();
  for (const [name, entity] of a) {
    const old = b.get(name);
    if (!old) {
      emit(name, "added", entity);
      continue;
    }
    const fb = fields(old);
    const fa = fields(entity);
    const changed = Object.keys(fa).filter((k) => fa[k] !== fb[k]);
    if (changed.length > 0) {
      emit(
        name,
        "changed",
        entity,
        changed
          .map((k) =>
            typeof fa[k] === "string" && (fa[k] as string).length > 60
              ? k
              : `${k}: ${show(fb[k])} → ${show(fa[k])}`,
          )
          .join("; "),
      );
    }
  }
  for (const [name, entity] of b) if (!a.has(name)) emit(name, "removed", entity);
}

function show(v: unknown): string {
  if (v === undefined || v === "") return "(none)";
  const s = String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

type Push = (
  kind: DiffKind,
  name: string,
  change: DiffEntry["change"],
  pointer: PointerSegment[],
  detail?: string,
) => void;

function comparePermissions(before: AgentModel | undefined, after: AgentModel | undefined, push: Push): void {
  const pb = before?.permissions;
  const pa = after?.permissions;
  if (!pb && !pa) return;
  const key = (r: PermissionRule) => `${r.decision} ${r.rule}`;
  const rb = new Map((pb?.rules ?? []).map((r) => [key(r), r]));
  const ra = new Map((pa?.rules ?? []).map((r) => [key(r), r]));
  for (const [k, r] of ra) if (!rb.has(k)) push("permission", k, "added", r.pointer);
  for (const [k, r] of rb) if (!ra.has(k)) push("permission", k, "removed", r.pointer);
  const hookKey = (h: Hook) =>
    `${h.event}${h.matcher ? `(${h.matcher})` : ""}: ${h.command ?? h.url ?? h.type}`;
  const hb = new Map((pb?.hooks ?? []).map((h) => [hookKey(h), h]));
  const ha = new Map((pa?.hooks ?? []).map((h) => [hookKey(h), h]));
  for (const [k, h] of ha) if (!hb.has(k)) push("hook", k, "added", h.pointer);
  for (const [k, h] of hb) if (!ha.has(k)) push("hook", k, "removed", h.pointer);
  for (const name of ["defaultMode", "approvalPolicy", "sandboxMode"] as const) {
    const vb = pb?.[name];
    const va = pa?.[name];
    if (vb?.value !== va?.value) {
      if (va)
        push(
          "setting",
          name,
          vb ? "changed" : "added",
          va.pointer,
          `${vb?.value ?? "(unset)"} → ${va.value}`,
        );
      else if (vb) push("setting", name, "removed", vb.pointer, `${vb.value} → (unset)`);
    }
  }
}

function compareModel(before: AgentModel | undefined, after: AgentModel | undefined, push: Push): void {
  const mb = before?.model;
  const ma = after?.model;
  for (const name of ["id", "temperature", "maxTokens"] as const) {
    const vb = mb?.[name];
    const va = ma?.[name];
    if (vb?.value === va?.value) continue;
    if (va)
      push("model", name, vb ? "changed" : "added", va.pointer, `${vb?.value ?? "(unset)"} → ${va.value}`);
    else if (vb) push("model", name, "removed", vb.pointer, `${vb.value} → (unset)`);
  }
}
