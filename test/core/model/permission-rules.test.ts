import { describe, expect, test } from "@jest/globals";
import {
  compareLinear,
  compareRuleSets,
  covers,
  parsePathSpec,
  parsePermissionRule,
  parseRuleText,
  splitToolList,
} from "../../../src/core/model/permission-rules.js";
import type { PermissionDecision, PermissionRule } from "../../../src/core/model/types.js";

const r = (text: string) => parseRuleText(text);
const cov = (a: string, b: string) => covers(r(a), r(b));
const rule = (text: string, decision: PermissionDecision, i = 0): PermissionRule =>
  parsePermissionRule(text, decision, ["permissions", decision, i]);
const rules = (decision: PermissionDecision, ...texts: string[]) => texts.map((t, i) => rule(t, decision, i));
const names = (list: readonly PermissionRule[]) => list.map((x) => `${x.decision} ${x.rule}`);

describe("parseRuleText", () => {
  test("tool, tool(specifier), MCP names and malformed rules", () => {
    expect(r("Bash")).toEqual({ tool: "Bash" });
    expect(r(" Bash(npm run test:*) ")).toEqual({ tool: "Bash", specifier: "npm run test:*" });
    expect(r("Bash(echo (x))")).toEqual({ tool: "Bash", specifier: "echo (x)" });
    expect(r("WebFetch(domain:example.com)")).toEqual({ tool: "WebFetch", specifier: "domain:example.com" });
    expect(r("mcp__github__create_issue")).toEqual({ tool: "mcp__github__create_issue" });
    expect(r("Bash(npm")).toEqual({ tool: "Bash(npm" });
    expect(r("(x)")).toEqual({ tool: "(x)" });
  });

  test("parsePermissionRule keeps text, decision and pointer", () => {
    expect(parsePermissionRule("Read(./src/**)", "deny", ["permissions", "deny", 2])).toEqual({
      decision: "deny",
      rule: "Read(./src/**)",
      tool: "Read",
      specifier: "./src/**",
      pointer: ["permissions", "deny", 2],
    });
  });

  test("splitToolList splits on commas and spaces outside parentheses", () => {
    expect(splitToolList("Read, Grep,Glob")).toEqual(["Read", "Grep", "Glob"]);
    expect(splitToolList("Bash(git add:*), Bash(git commit *) Read")).toEqual([
      "Bash(git add:*)",
      "Bash(git commit *)",
      "Read",
    ]);
    expect(splitToolList("")).toEqual([]);
  });

  test("parsePathSpec roots and unanchored names", () => {
    expect(parsePathSpec("//etc/passwd")).toEqual({ root: "abs", glob: "etc/passwd" });
    expect(parsePathSpec("~/.ssh/")).toEqual({ root: "home", glob: ".ssh/**" });
    expect(parsePathSpec("/src/**")).toEqual({ root: "settings", glob: "src/**" });
    expect(parsePathSpec("./src/a.ts")).toEqual({ root: "cwd", glob: "src/a.ts" });
    expect(parsePathSpec(".env")).toEqual({ root: "cwd", glob: "**/.env" });
    expect(parsePathSpec("src/a.ts")).toEqual({ root: "cwd", glob: "src/a.ts" });
  });
});

describe("covers (subsumption)", () => {
  test("the chain Bash ⊇ Bash(*) ⊇ Bash(npm:*) ⊇ Bash(npm test)", () => {
    expect(cov("Bash", "Bash(*)")).toBe(true);
    expect(cov("Bash(*)", "Bash")).toBe(true);
    expect(cov("Bash(*)", "Bash(npm:*)")).toBe(true);
    expect(cov("Bash(npm:*)", "Bash(npm test)")).toBe(true);
    expect(cov("Bash(npm:*)", "Bash(npm)")).toBe(true);
    expect(cov("Bash", "Bash(npm test)")).toBe(true);
    // and not the other way round
    expect(cov("Bash(npm test)", "Bash(npm:*)")).toBe(false);
    expect(cov("Bash(npm:*)", "Bash(*)")).toBe(false);
    expect(cov("Bash(npm:*)", "Bash")).toBe(false);
  });

  test("Bash word boundaries, legacy prefixes and inner wildcards", () => {
    expect(cov("Bash(ls *)", "Bash(ls -la)")).toBe(true);
    expect(cov("Bash(ls *)", "Bash(ls)")).toBe(true);
    expect(cov("Bash(ls *)", "Bash(lsof)")).toBe(false);
    expect(cov("Bash(ls*)", "Bash(lsof)")).toBe(true);
    expect(cov("Bash(ls*)", "Bash(ls *)")).toBe(true);
    expect(cov("Bash(ls *)", "Bash(ls*)")).toBe(false);
    expect(cov("Bash(npm run test:*)", "Bash(npm run test --watch)")).toBe(true);
    expect(cov("Bash(npm run test:*)", "Bash(npm run testing)")).toBe(false);
    expect(cov("Bash(npm run *)", "Bash(npm run test:*)")).toBe(true);
    expect(cov("Bash(npm:*)", "Bash(npx foo)")).toBe(false);
    expect(cov("Bash(git * main)", "Bash(git checkout main)")).toBe(true);
    expect(cov("Bash(git * main)", "Bash(git checkout dev)")).toBe(false);
    expect(cov("Bash(git *)", "Bash(git * main)")).toBe(true);
    expect(cov("Bash(git * main)", "Bash(git *)")).toBe(false);
    expect(cov("Bash", "PowerShell")).toBe(false);
  });

  test("MCP servers and tools", () => {
    expect(cov("mcp__github", "mcp__github__create_issue")).toBe(true);
    expect(cov("mcp__github__*", "mcp__github__create_issue")).toBe(true);
    expect(cov("mcp__github__*", "mcp__github")).toBe(true);
    expect(cov("mcp__github", "mcp__github__*")).toBe(true);
    expect(cov("mcp__github__create_issue", "mcp__github")).toBe(false);
    expect(cov("mcp__github__create_issue", "mcp__github__delete_repo")).toBe(false);
    expect(cov("mcp__github", "mcp__gitlab__x")).toBe(false);
    // No wildcard other than `mcp__server__*` is assumed.
    expect(cov("mcp__*", "mcp__github")).toBe(false);
    expect(cov("mcp__*", "mcp__*")).toBe(true);
    expect(cov("Bash", "mcp__bash")).toBe(false);
  });

  test("Read/Edit paths are gitignore-style with roots", () => {
    expect(cov("Read(./src/**)", "Read(./src/a.ts)")).toBe(true);
    expect(cov("Read(./src/**)", "Read(./src/a/b/c.ts)")).toBe(true);
    expect(cov("Read(./src/**)", "Read(./src/*.ts)")).toBe(true);
    expect(cov("Read(./src/*)", "Read(./src/a/b.ts)")).toBe(false);
    expect(cov("Read(./src/*)", "Read(./src/**)")).toBe(false);
    expect(cov("Read(./src/**)", "Read(~/src/a.ts)")).toBe(false);
    expect(cov("Read(.env)", "Read(./config/.env)")).toBe(true);
    expect(cov("Read(.env)", "Read(./.env)")).toBe(true);
    expect(cov("Read(./.env)", "Read(.env)")).toBe(false);
    expect(cov("Read(*.env)", "Read(./a/b/prod.env)")).toBe(true);
    expect(cov("Read(src/**/*.ts)", "Read(./src/a.ts)")).toBe(true);
    expect(cov("Read(src/**/*.ts)", "Read(./src/x/y/a.ts)")).toBe(true);
    expect(cov("Read(src/**/*.ts)", "Read(./src/x/a.js)")).toBe(false);
    expect(cov("Read(./secrets/)", "Read(./secrets/k.pem)")).toBe(true);
    expect(cov("Read(//**)", "Read(~/.ssh/id_rsa)")).toBe(true);
    expect(cov("Read(~/**)", "Read(//home/u/x)")).toBe(false);
    expect(cov("Read(./a?c)", "Read(./abc)")).toBe(true);
    expect(cov("Read(./a?c)", "Read(./a/c)")).toBe(false);
    expect(cov("Read", "Read(//etc/passwd)")).toBe(true);
    expect(cov("Read(**)", "Read")).toBe(false);
  });

  test("Edit rules cover every file-editing tool, not the reverse", () => {
    expect(cov("Edit", "Write")).toBe(true);
    expect(cov("Edit(./src/**)", "Write(./src/a.ts)")).toBe(true);
    expect(cov("Edit(./src/**)", "MultiEdit(./src/a.ts)")).toBe(true);
    expect(cov("Write", "Edit")).toBe(false);
    expect(cov("Edit", "Read")).toBe(false);
  });

  test("WebFetch domains, legacy tool names, exact specifiers elsewhere", () => {
    expect(cov("WebFetch", "WebFetch(domain:x.com)")).toBe(true);
    expect(cov("WebFetch(domain:x.com)", "WebFetch")).toBe(false);
    expect(cov("WebFetch(domain:*.x.com)", "WebFetch(domain:a.x.com)")).toBe(true);
    expect(cov("WebFetch(domain:*.x.com)", "WebFetch(domain:x.com)")).toBe(false);
    expect(cov("WebFetch(domain:X.com)", "WebFetch(domain:x.COM)")).toBe(true);
    expect(cov("WebFetch(domain:x.com)", "WebFetch(domain:x.com.evil.io)")).toBe(false);
    expect(cov("Task", "Agent(Explore)")).toBe(true);
    expect(cov("Agent(Explore)", "Task(Explore)")).toBe(true);
    expect(cov("Skill(deploy)", "Skill(deploy-prod)")).toBe(false);
    expect(cov("Skill(dep*)", "Skill(deploy)")).toBe(false);
  });

  test("odd input never throws and never covers", () => {
    expect(covers({ tool: 1 as unknown as string }, { tool: "Bash" })).toBe(false);
    expect(covers(undefined as unknown as { tool: string }, { tool: "Bash" })).toBe(false);
    const long = `Bash(${"a*".repeat(3000)})`;
    expect(cov(long, "Bash(aaa)")).toBe(false);
    expect(cov(long, long)).toBe(true);
  });
});

describe("compareRuleSets", () => {
  test("new allow rules not covered by the base are widenings; covered ones are not", () => {
    const before = rules("allow", "Bash(npm:*)", "Read(./src/**)");
    const after = rules("allow", "Bash(npm test)", "Read(./src/a.ts)", "Bash(curl:*)", "Bash");
    const cmp = compareRuleSets(before, after);
    expect(names(cmp.widenedAllow)).toEqual(["allow Bash(curl:*)", "allow Bash"]);
    expect(cmp.removedDeny).toEqual([]);
    expect(cmp.askToAllow).toEqual([]);
  });

  test("removing or narrowing a deny is reported; consolidating into a broader deny is not", () => {
    const before = rules("deny", "Bash(rm -rf:*)", "Read(./.env)", "WebFetch");
    const after = rules("deny", "Bash(rm:*)", "WebFetch(domain:evil.com)");
    const cmp = compareRuleSets(before, after);
    expect(names(cmp.removedDeny)).toEqual(["deny Read(./.env)", "deny WebFetch"]);
    expect(cmp.widenedAllow).toEqual([]);
  });

  test("deny → ask is a removal of the deny; ask → deny is not", () => {
    expect(
      names(compareRuleSets(rules("deny", "Bash(git push:*)"), rules("ask", "Bash(git push:*)")).removedDeny),
    ).toEqual(["deny Bash(git push:*)"]);
    expect(
      compareRuleSets(rules("ask", "Bash(git push:*)"), rules("deny", "Bash(git push:*)")).removedDeny,
    ).toEqual([]);
  });

  test("ask → allow is reported once, as askToAllow", () => {
    const before = [...rules("ask", "Bash(git push:*)"), ...rules("allow", "Read")];
    const after = rules("allow", "Read", "Bash(git push:*)");
    const cmp = compareRuleSets(before, after);
    expect(cmp.askToAllow.map((p) => [p.ask.rule, p.allow.rule])).toEqual([
      ["Bash(git push:*)", "Bash(git push:*)"],
    ]);
    expect(cmp.removedDeny).toEqual([]);
    expect(cmp.widenedAllow).toEqual([]);
  });

  test("an allow broader than the removed ask is both a move and a widening", () => {
    const cmp = compareRuleSets(rules("ask", "Bash(git push:*)"), rules("allow", "Bash(git:*)"));
    expect(cmp.askToAllow.map((p) => [p.ask.rule, p.allow.rule])).toEqual([
      ["Bash(git push:*)", "Bash(git:*)"],
    ]);
    expect(names(cmp.widenedAllow)).toEqual(["allow Bash(git:*)"]);
  });

  test("an ask rule kept while an allow is added: the ask still wins, nothing moves", () => {
    const before = rules("ask", "Bash(git push:*)");
    const after = [...rules("ask", "Bash(git push:*)"), ...rules("allow", "Bash(git:*)")];
    const cmp = compareRuleSets(before, after);
    expect(cmp.askToAllow).toEqual([]);
    expect(cmp.removedDeny).toEqual([]);
    expect(names(cmp.widenedAllow)).toEqual(["allow Bash(git:*)"]);
  });

  test("an allow rule inside a deny or ask rule of the head grants nothing", () => {
    const after = [
      ...rules("deny", "Bash(rm:*)"),
      ...rules("ask", "Bash(git push:*)"),
      ...rules("allow", "Bash(rm -rf /tmp/x)", "Bash(git push origin)", "Bash(ls)"),
    ];
    expect(names(compareRuleSets([], after).widenedAllow)).toEqual(["allow Bash(ls)"]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property tests with a seeded generator (no fast-check)

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const many = <T>(rand: Rand, n: number, f: () => T): T[] =>
  Array.from({ length: Math.floor(rand() * (n + 1)) }, f);

const WORDS = ["npm", "run", "test", "git", "push", "ls", "-la", "*", "x*", "a"];
const SEGS = ["src", "a.ts", "*", "**", ".env", "*.ts", "lib", "a?", "b"];
const HOSTS = ["x.com", "*.x.com", "a.x.com", "*", "b.a.x.com", "y.org"];
const MCP = ["mcp__gh", "mcp__gh__issue", "mcp__gh__*", "mcp__fs__read", "mcp__fs", "mcp__*"];

function shellSpec(rand: Rand): string {
  if (rand() < 0.1) return "*";
  const words = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, WORDS)).join(" ");
  return rand() < 0.3 ? `${words}:*` : words;
}

function pathSpec(rand: Rand): string {
  const root = pick(rand, ["", "./", "~/", "//", "/"]);
  const body = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, SEGS)).join("/");
  return `${root}${body}${rand() < 0.15 ? "/" : ""}`;
}

function randomRule(rand: Rand): string {
  switch (Math.floor(rand() * 8)) {
    case 0:
      return pick(rand, ["Bash", "Read", "Edit", "Write", "WebFetch", "Task", "Agent"]);
    case 1:
    case 2:
      return `Bash(${shellSpec(rand)})`;
    case 3:
    case 4:
      return `${pick(rand, ["Read", "Edit", "Write"])}(${pathSpec(rand)})`;
    case 5:
      return `WebFetch(domain:${pick(rand, HOSTS)})`;
    case 6:
      return pick(rand, MCP);
    default:
      return `Agent(${pick(rand, ["Explore", "Plan"])})`;
  }
}

function randomSet(rand: Rand): PermissionRule[] {
  const out: PermissionRule[] = [];
  for (const d of ["allow", "ask", "deny"] as const)
    for (const [i, t] of many(rand, 4, () => randomRule(rand)).entries()) out.push(rule(t, d, i));
  return out;
}

/**
 * An independent oracle for single rules: does rule `text` match the concrete call `call`
 * (`{ tool, arg }`)? Written from the documented semantics with regular expressions, not with the
 * symbolic matcher under test.
 */
function oracle(text: string, call: { tool: string; arg?: string }): boolean {
  const { tool, specifier } = parseRuleText(text);
  const canon = (t: string) => (t === "Task" ? "Agent" : t);
  const editFamily = ["Edit", "Write", "MultiEdit", "NotebookEdit"];
  if (tool.startsWith("mcp__") || call.tool.startsWith("mcp__")) {
    const server = (t: string) => t.slice(5).split("__")[0];
    const name = (t: string) => t.slice(5).split("__")[1];
    if (!tool.startsWith("mcp__") || !call.tool.startsWith("mcp__") || server(tool) !== server(call.tool))
      return false;
    const n = name(tool);
    return n === undefined || n === "*" ? true : n === name(call.tool);
  }
  if (!(canon(tool) === canon(call.tool) || (tool === "Edit" && editFamily.includes(call.tool))))
    return false;
  if (specifier === undefined || specifier.trim() === "*") return true;
  if (call.arg === undefined) return false;
  const esc = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  if (tool === "Bash") {
    let s = specifier.trim();
    if (s.endsWith(":*")) s = `${s.slice(0, -2)} *`;
    const tail = s.endsWith(" *");
    const core = tail ? s.slice(0, -2).trimEnd() : s;
    const re = `^${core.split("*").map(esc).join(".*")}${tail ? "( .*)?" : ""}$`;
    return new RegExp(re, "s").test(call.arg);
  }
  if (tool === "WebFetch") {
    if (!specifier.startsWith("domain:") || !call.arg.startsWith("domain:")) return specifier === call.arg;
    const re = `^${specifier.slice(7).toLowerCase().split("*").map(esc).join(".*")}$`;
    return new RegExp(re).test(call.arg.slice(7).toLowerCase());
  }
  if (["Read", "Edit", "Write"].includes(tool)) {
    const split = (p: string): [string, string] => {
      if (p.startsWith("//")) return ["abs", p.slice(2)];
      if (p.startsWith("~/")) return ["home", p.slice(2)];
      if (p.startsWith("/")) return ["settings", p.slice(1)];
      if (p.startsWith("./")) return ["cwd", p.slice(2)];
      return ["cwd", p];
    };
    const [root, glob0] = split(specifier.trim());
    const [croot, path] = split(call.arg);
    if (root === "abs" && glob0 === "**") return true;
    if (root !== croot) return false;
    let glob = glob0;
    const body = glob.endsWith("/") ? glob.slice(0, -1) : glob;
    const anchored =
      specifier.trim().startsWith("./") || root !== "cwd" || body.includes("/") || body === "**";
    if (glob.endsWith("/")) glob += "**";
    let re = "";
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i]!;
      if (c === "*" && glob[i + 1] === "*" && (i === 0 || glob[i - 1] === "/")) {
        if (glob[i + 2] === "/") {
          re += "(?:.*/)?";
          i += 2;
        } else if (i + 2 >= glob.length) {
          re += ".*";
          i += 1;
        } else {
          re += "[^/]*";
          i += 1;
        }
      } else if (c === "*") re += "[^/]*";
      else if (c === "?") re += "[^/]";
      else re += esc(c);
    }
    return new RegExp(`^${anchored ? "" : "(?:.*/)?"}${re}$`).test(path);
  }
  return specifier === call.arg;
}

/** A concrete call matched by rule `text`: every wildcard replaced by sample text. */
function concretize(rand: Rand, text: string): { tool: string; arg?: string } {
  const { tool, specifier } = parseRuleText(text);
  if (tool.startsWith("mcp__")) {
    const name = tool.slice(5).split("__")[1];
    return {
      tool:
        name === undefined || name === "*"
          ? `${tool.replace(/__\*$/, "")}__${pick(rand, ["issue", "pr"])}`
          : tool,
    };
  }
  const concreteTool = tool === "Edit" ? pick(rand, ["Edit", "Write", "MultiEdit"]) : tool;
  if (specifier === undefined || specifier === "*") {
    if (tool === "Bash") return { tool, arg: pick(rand, ["npm test", "rm -rf /", "ls"]) };
    if (["Read", "Edit", "Write"].includes(tool))
      return { tool: concreteTool, arg: pick(rand, ["./src/a.ts", "~/.ssh/id", "//etc/x"]) };
    if (tool === "WebFetch") return { tool, arg: `domain:${pick(rand, ["x.com", "evil.io"])}` };
    return { tool: concreteTool, arg: "Explore" };
  }
  if (tool === "Bash") {
    let s = specifier.trim();
    if (s.endsWith(":*")) s = `${s.slice(0, -2)} *`;
    if (s.endsWith(" *") && rand() < 0.3) s = s.slice(0, -2).trimEnd();
    return { tool, arg: s.replace(/\*/g, () => pick(rand, ["", "x", "run test", "-la"])) };
  }
  if (tool === "WebFetch") return { tool, arg: specifier.replace(/\*/g, () => pick(rand, ["a", "b.c", ""])) };
  if (["Read", "Edit", "Write"].includes(tool)) {
    let s = specifier.trim();
    const body = s.endsWith("/") ? s.slice(0, -1) : s;
    if (!/^(?:\/\/|~\/|\/|\.\/)/.test(s) && !body.includes("/") && body !== "**")
      s = `./${pick(rand, ["", "d/", "d/e/"])}${s}`;
    else if (!/^(?:\/\/|~\/|\/|\.\/)/.test(s)) s = `./${s}`;
    if (s.endsWith("/")) s += pick(rand, ["k", "k/l"]);
    s = s.replace(/\*\*\//g, () => pick(rand, ["", "m/", "m/n/"]));
    s = s.replace(/\*\*/g, () => pick(rand, ["q", "q/r"]));
    s = s.replace(/\*/g, () => pick(rand, ["", "z", "zz"]));
    s = s.replace(/\?/g, "c");
    return { tool: concreteTool, arg: s };
  }
  return { tool: concreteTool, arg: specifier };
}

describe("compareRuleSets properties (seeded)", () => {
  const SEEDS = 400;

  test("a rule always covers itself", () => {
    const rand = prng(1);
    for (let i = 0; i < SEEDS * 5; i++) {
      const t = randomRule(rand);
      expect([t, cov(t, t)]).toEqual([t, true]);
    }
  });

  test("compareRuleSets(x, x) is empty", () => {
    const rand = prng(2);
    for (let i = 0; i < SEEDS; i++) {
      const x = randomSet(rand);
      expect(compareRuleSets(x, x)).toEqual({ widenedAllow: [], removedDeny: [], askToAllow: [] });
      // A copy (same rules, other objects and order) is the same set.
      const copy = [...x].reverse().map((y) => ({ ...y }));
      expect(compareRuleSets(x, copy)).toEqual({ widenedAllow: [], removedDeny: [], askToAllow: [] });
    }
  });

  test("adding a deny rule never makes compareRuleSets report a widening", () => {
    const rand = prng(3);
    for (let i = 0; i < SEEDS; i++) {
      const base = randomSet(rand);
      const head = randomSet(rand);
      const deny = rule(randomRule(rand), "deny", 99);
      expect(compareRuleSets(base, [...base, deny])).toEqual({
        widenedAllow: [],
        removedDeny: [],
        askToAllow: [],
      });
      // Against any head, an extra deny only removes entries.
      const without = compareRuleSets(base, head);
      const withDeny = compareRuleSets(base, [...head, deny]);
      for (const x of withDeny.widenedAllow) expect(without.widenedAllow).toContain(x);
      for (const d of withDeny.removedDeny) expect(without.removedDeny).toContain(d);
      for (const p of withDeny.askToAllow) expect(without.askToAllow).toContainEqual(p);
    }
  });

  test("covers is sound against an independent regex oracle", () => {
    const rand = prng(4);
    let checked = 0;
    for (let i = 0; i < SEEDS * 25; i++) {
      const a = randomRule(rand);
      const b = randomRule(rand);
      if (!cov(a, b)) continue;
      for (let k = 0; k < 4; k++) {
        const call = concretize(rand, b);
        if (!oracle(b, call)) continue;
        checked++;
        expect([a, b, call, oracle(a, call)]).toEqual([a, b, call, true]);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  test("the oracle agrees with covers on concrete rules", () => {
    const rand = prng(5);
    for (let i = 0; i < SEEDS * 5; i++) {
      const a = randomRule(rand);
      const call = concretize(rand, a);
      if (
        call.arg === undefined ||
        call.arg.includes("*") ||
        call.arg.endsWith("/") ||
        call.arg !== call.arg.trim()
      )
        continue;
      const concrete = `${call.tool}(${call.arg})`;
      if (!call.tool.startsWith("mcp__") && /^(?:Bash|Read|Edit|Write|MultiEdit|WebFetch)$/.test(call.tool))
        expect([a, concrete, cov(a, concrete)]).toEqual([a, concrete, oracle(a, call)]);
    }
  });

  test("the linear-time comparison for huge lists never reports less than the exact one", () => {
    const rand = prng(6);
    for (let i = 0; i < SEEDS; i++) {
      const base = randomSet(rand);
      const head = randomSet(rand);
      const exact = compareRuleSets(base, head);
      const linear = compareLinear(base, head);
      for (const x of exact.widenedAllow) expect(linear.widenedAllow).toContain(x);
      const reported = (c: typeof exact) => [...c.removedDeny, ...c.askToAllow.map((p) => p.ask)];
      for (const x of reported(exact)) expect(reported(linear)).toContain(x);
      expect(compareLinear(base, base)).toEqual({ widenedAllow: [], removedDeny: [], askToAllow: [] });
    }
  });
});

describe("compareRuleSets stays fast on hostile input", () => {
  test("thousands of rules and long wildcard specifiers", () => {
    const many = (d: PermissionDecision, n: number, f: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => rule(f(i), d, i));
    const before = [
      ...many("allow", 3000, (i) => `Bash(cmd${i} *)`),
      ...many("deny", 3000, (i) => `Read(./secret${i}/**)`),
    ];
    const after = [...before.slice(1), ...many("allow", 10, (i) => `Bash(new${i}:*)`)];
    const c = compareRuleSets(before, after);
    expect(c.widenedAllow.map((r) => r.rule)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Bash(new${i}:*)`),
    );
    expect(c.removedDeny).toEqual([]);

    const star = `${"a*".repeat(400)}b`;
    const hostile = [
      ...many("allow", 150, (i) => `Bash(${star}${i})`),
      ...many("deny", 150, (i) => `Edit(./${"*/".repeat(300)}${i})`),
    ];
    // Different texts everywhere, so every pair goes through the inclusion check (and its budget).
    const changed = hostile.map((x) => rule(x.rule.replace(/(\d+)\)$/, "x$1)"), x.decision));
    const h = compareRuleSets(hostile, changed);
    // Nothing provably covers the changed rules: all reported, never silently dropped.
    expect(h.widenedAllow).toHaveLength(150);
    expect(h.removedDeny).toHaveLength(150);
    expect(compareRuleSets(hostile, [...hostile].reverse())).toEqual({
      widenedAllow: [],
      removedDeny: [],
      askToAllow: [],
    });
  });
});
