/**
 * The Dockerfile's structural promises, checked without a Docker engine (the image is not built here):
 * a separate build stage, a non-root runtime, no remote ADD, the same start command as `npm start`, and
 * COPY sources that exist (in the build context, or produced by the stage they are copied from).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import picomatch from "picomatch";
import { DEFAULT_PORT, HEALTH_PATH } from "../../src/app/config.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile instructions in order: comments and blank lines dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue; // a comment inside a continued instruction
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    const match = /^(\S+)\s*(.*)$/.exec(full);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]! });
  }
  if (pending.trim() !== "") throw new Error("Dockerfile ends inside a continued line");
  return out;
}

function stages(all: Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const ins of all) {
    if (ins.keyword === "FROM") {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      result.push({ image: words[0]!, ...(as > 0 ? { name: words[as + 1] } : {}), instructions: [] });
    } else if (result.length === 0) {
      if (ins.keyword !== "ARG") throw new Error(`${ins.keyword} before the first FROM`);
    } else result.at(-1)!.instructions.push(ins);
  }
  return result;
}

/** Flags (`--from=build`) and the remaining words of a COPY/ADD; the exec (JSON) form is accepted too. */
function copyArgs(args: string): { flags: Map<string, string>; sources: string[]; dest: string } {
  const flags = new Map<string, string>();
  let rest = args.trim();
  for (let m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)) {
    flags.set(m[1]!, m[2] ?? "");
    rest = rest.slice(m[0].length);
  }
  const words = rest.startsWith("[") ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  if (words.length < 2) throw new Error(`COPY/ADD needs a source and a destination: ${args}`);
  return { flags, sources: words.slice(0, -1), dest: words.at(-1)! };
}

const execForm = (args: string): string[] => JSON.parse(args) as string[];

/** Absolute paths a stage creates: its COPY destinations, node_modules from npm ci, the build's outDir. */
function producedPaths(stage: Stage): string[] {
  let workdir = "/";
  const produced: string[] = [];
  const buildOutDir = (() => {
    const build =
      (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.build ?? "";
    const project = /-p\s+(\S+)/.exec(build)?.[1] ?? "tsconfig.json";
    const outDir = (JSON.parse(read(project)) as { compilerOptions?: { outDir?: string } }).compilerOptions
      ?.outDir;
    if (!outDir) throw new Error(`${project} has no outDir`);
    return outDir;
  })();
  for (const ins of stage.instructions) {
    if (ins.keyword === "WORKDIR") workdir = posix.resolve(workdir, ins.args.trim());
    if (ins.keyword === "COPY" || ins.keyword === "ADD") {
      const { sources, dest } = copyArgs(ins.args);
      const target = posix.resolve(workdir, dest);
      if (dest.endsWith("/") || sources.length > 1) {
        for (const s of sources)
          produced.push(
            dest.endsWith("/") && s.endsWith("/") ? target : posix.join(target, posix.basename(s)),
          );
      } else produced.push(target);
    }
    if (ins.keyword === "RUN") {
      if (/\bnpm (ci|install)\b/.test(ins.args)) produced.push(posix.join(workdir, "node_modules"));
      if (/\bnpm run build\b/.test(ins.args)) produced.push(posix.resolve(workdir, buildOutDir));
    }
  }
  return produced;
}

function dockerignored(patterns: string[], path: string): boolean {
  const clean = path.replace(/^\.\//, "").replace(/\/$/, "");
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith("!");
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\//, "").replace(/\/$/, "");
    const segments = clean.split("/");
    const hit = segments.some((_, i) =>
      picomatch.isMatch(segments.slice(0, i + 1).join("/"), pattern, { dot: true }),
    );
    if (hit) ignored = !negate;
  }
  return ignored;
}

const dockerfile = stages(instructions(read("Dockerfile")));
const final = dockerfile.at(-1)!;
const ignorePatterns = read(".dockerignore")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));

describe("Dockerfile", () => {
  test("has a build stage and a separate runtime stage", () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    const build = dockerfile.slice(0, -1).flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN"));
    expect(build.some((i) => /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(build.some((i) => /\bnpm run build\b/.test(i.args))).toBe(true);
  });

  test("the runtime stage is a pinned Node slim image with production dependencies only", () => {
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    const [major, minor] = (/(\d+)\.(\d+)/.exec(engines) ?? []).slice(1).map(Number);
    const tag = /^node:(\d+)\.(\d+)(?:\.\d+)?-[a-z]+-slim$/.exec(final.image);
    expect({ image: final.image, pinned: tag !== null }).toEqual({ image: final.image, pinned: true });
    expect(Number(tag![1])).toBe(major);
    expect(Number(tag![2])).toBeGreaterThanOrEqual(minor!);
    const installs = final.instructions.filter(
      (i) => i.keyword === "RUN" && /\bnpm (ci|install)\b/.test(i.args),
    );
    expect(installs.length).toBeGreaterThan(0);
    for (const i of installs) {
      expect(i.args).toMatch(/\bnpm ci\b/);
      expect(i.args).toContain("--omit=dev");
      expect(i.args).toContain("--ignore-scripts");
    }
  });

  test("the runtime stage runs as a user that is not root", () => {
    const users = final.instructions
      .filter((i) => i.keyword === "USER")
      .map((i) => i.args.split(":")[0]!.trim());
    expect(users.length).toBeGreaterThan(0);
    expect(["root", "0", ""]).not.toContain(users.at(-1));
  });

  test("nothing is ADDed from a URL or a git remote", () => {
    const remote = dockerfile
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === "ADD")
      .flatMap((i) => copyArgs(i.args).sources)
      .filter((s) => /^(https?|git|ssh):\/\/|^git@/i.test(s));
    expect(remote).toEqual([]);
  });

  test("CMD is package.json's `start` script, and it runs a file the build produces", () => {
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string | undefined> };
    const start = pkg.scripts.start;
    expect({ "package.json scripts.start": start ?? "(missing)" }).toEqual({
      "package.json scripts.start": expect.stringMatching(/^node /),
    });
    const cmd = final.instructions.filter((i) => i.keyword === "CMD").at(-1);
    expect(cmd).toBeDefined();
    expect(execForm(cmd!.args)).toEqual(start!.trim().split(/\s+/));
    // lib/<path>.js is compiled from src/<path>.ts (tsconfig.build.json: rootDir src, outDir lib).
    const script = execForm(cmd!.args)[1]!;
    expect(script).toMatch(/^lib\/.+\.js$/);
    const source = script.replace(/^lib\//, "src/").replace(/\.js$/, ".ts");
    expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
  });

  test("exposes the default port and health-checks the health path", () => {
    const exposed = final.instructions
      .filter((i) => i.keyword === "EXPOSE")
      .flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toContain(String(DEFAULT_PORT));
    const health = final.instructions.filter((i) => i.keyword === "HEALTHCHECK");
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toContain(HEALTH_PATH);
    expect(health[0]!.args).toContain(String(DEFAULT_PORT));
  });

  test("every COPY source exists in the build context and is not excluded by .dockerignore", () => {
    const fromContext = dockerfile
      .flatMap((s) => s.instructions)
      .filter((i) => (i.keyword === "COPY" || i.keyword === "ADD") && !copyArgs(i.args).flags.has("from"))
      .flatMap((i) => copyArgs(i.args).sources);
    expect(fromContext.length).toBeGreaterThan(0);
    const problems = fromContext.flatMap((s) => [
      ...(existsSync(join(root, s)) ? [] : [`${s}: not in the repository`]),
      ...(dockerignored(ignorePatterns, s) ? [`${s}: excluded by .dockerignore`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  test("every COPY --from source is produced by the stage it names", () => {
    const fromStage = final.instructions
      .filter((i) => i.keyword === "COPY" && copyArgs(i.args).flags.has("from"))
      .map((i) => copyArgs(i.args));
    expect(fromStage.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { flags, sources } of fromStage) {
      const stage = dockerfile.find((s) => s.name === flags.get("from"));
      if (!stage) {
        problems.push(`--from=${flags.get("from")}: no such stage`);
        continue;
      }
      const produced = producedPaths(stage);
      for (const s of sources) {
        const path = posix.resolve("/", s).replace(/\/$/, "");
        if (!produced.some((p) => path === p || path.startsWith(`${p}/`)))
          problems.push(`${s}: not produced`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe(".dockerignore", () => {
  test("keeps secrets, local dependencies and local build output out of the build context", () => {
    for (const path of [
      ".env",
      "config/app.pem",
      "node_modules/x/index.js",
      "lib/app/server.js",
      ".git/HEAD",
    ]) {
      expect({ path, ignored: dockerignored(ignorePatterns, path) }).toEqual({ path, ignored: true });
    }
  });
});

describe("the Dockerfile reader used above", () => {
  const sample = [
    "# syntax=docker/dockerfile:1",
    "FROM node:20 AS build",
    "WORKDIR /app",
    "RUN npm ci \\",
    "    # a comment inside",
    "    && npm run build",
    "FROM --platform=linux/amd64 node:20-slim",
    "ADD https://example.com/x.tgz /x.tgz",
    "COPY --from=build --chown=node /app/lib/ lib/",
    'CMD ["node", "lib/app/server.js"]',
  ].join("\n");

  test("joins continued lines, drops comments and splits stages", () => {
    const s = stages(instructions(sample));
    expect(s.map((x) => [x.image, x.name])).toEqual([
      ["node:20", "build"],
      ["node:20-slim", undefined],
    ]);
    expect(s[0]!.instructions.at(-1)).toEqual({ keyword: "RUN", args: "npm ci && npm run build" });
  });

  test("reads COPY flags and sources, and what a stage produces", () => {
    const s = stages(instructions(sample));
    const copy = copyArgs(s[1]!.instructions.find((i) => i.keyword === "COPY")!.args);
    expect([...copy.flags]).toEqual([
      ["from", "build"],
      ["chown", "node"],
    ]);
    expect(copy.sources).toEqual(["/app/lib/"]);
    expect(producedPaths(s[0]!)).toEqual(["/app/node_modules", "/app/lib"]);
    expect(copyArgs(s[1]!.instructions.find((i) => i.keyword === "ADD")!.args).sources).toEqual([
      "https://example.com/x.tgz",
    ]);
  });

  test("applies .dockerignore exceptions in order", () => {
    expect(dockerignored(["*.md", "!README.md"], "README.md")).toBe(false);
    expect(dockerignored(["*.md", "!README.md"], "CHANGES.md")).toBe(true);
    expect(dockerignored(["docs"], "docs/deploy.md")).toBe(true);
    expect(dockerignored(["docs"], "src/docs.ts")).toBe(false);
  });
});
