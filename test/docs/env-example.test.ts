import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { ENV_VARS } from "../../src/app/config.js";
import { CHECK_NAME } from "../../src/core/report/check-run.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

interface ExampleVar {
  name: string;
  value: string;
  /** Commented out (`# NAME=value`): documented, but left at its default. */
  commentedOut: boolean;
  /** The comment lines directly above the variable, joined with spaces. */
  comment: string;
}

/** Variables of a .env file, set (`NAME=value`) or commented out (`# NAME=value`), with the comment above. */
function envVariables(text: string): ExampleVar[] {
  const vars: ExampleVar[] = [];
  let comment: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const assignment = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment) {
      vars.push({
        name: assignment[2]!,
        value: assignment[3]!,
        commentedOut: assignment[1] !== undefined,
        comment: comment.join(" "),
      });
      comment = [];
    } else if (line.startsWith("#")) comment.push(line.replace(/^#\s?/, ""));
    else comment = [];
  }
  return vars;
}

/** Backticked names in the first column of the table that follows `## Configure` in docs/deploy.md. */
function deployDocVariables(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Configure\n"));
  if (!section) throw new Error("docs/deploy.md has no '## Configure' section");
  return section
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) => /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

const example = envVariables(read(".env.example"));
const names = ENV_VARS.map((v) => v.name);

describe(".env.example", () => {
  test("names exactly the variables in ENV_VARS, each once", () => {
    expect(example.map((v) => v.name).sort()).toEqual([...names].sort());
    expect(new Set(example.map((v) => v.name)).size).toBe(example.length);
  });

  test("describes each variable with its ENV_VARS description, and marks exactly the required ones", () => {
    const problems: string[] = [];
    for (const spec of ENV_VARS) {
      const entry = example.find((v) => v.name === spec.name);
      if (!entry) continue; // reported by the test above
      if (!entry.comment.includes(spec.description)) problems.push(`${spec.name}: description missing`);
      const marked = /\bREQUIRED\b/.test(entry.comment);
      if (marked !== (spec.required !== false)) problems.push(`${spec.name}: required marker is ${marked}`);
      if (spec.required === "one-of" && !/\bone of\b/i.test(entry.comment))
        problems.push(`${spec.name}: not "one of"`);
    }
    expect(problems).toEqual([]);
  });

  test("sets every always-required variable and exactly one of the private-key variables", () => {
    for (const spec of ENV_VARS.filter((v) => v.required === true)) {
      expect({
        name: spec.name,
        commentedOut: example.find((v) => v.name === spec.name)?.commentedOut,
      }).toEqual({
        name: spec.name,
        commentedOut: false,
      });
    }
    const oneOf = ENV_VARS.filter((v) => v.required === "one-of").map((v) => v.name);
    expect(example.filter((v) => oneOf.includes(v.name) && !v.commentedOut).length).toBe(1);
  });

  test("holds no secret values", () => {
    const secrets = example.filter((v) => /SECRET|PRIVATE_KEY$|TOKEN|PASSWORD/.test(v.name));
    expect(secrets.length).toBeGreaterThan(0);
    expect(secrets.filter((v) => v.value.trim() !== "").map((v) => v.name)).toEqual([]);
    expect(read(".env.example")).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  });
});

describe("docs/deploy.md", () => {
  test("its configuration table lists exactly the variables in ENV_VARS", () => {
    expect(deployDocVariables(read("docs/deploy.md")).sort()).toEqual([...names].sort());
  });

  test("mentions every variable", () => {
    const doc = read("docs/deploy.md");
    expect(names.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });

  test("its ruleset example requires the app's check, pinned to an app id, on the default branch", () => {
    const body = /rulesets \\\n\s+-d '([^']+)'/.exec(read("docs/deploy.md"))?.[1];
    expect(body).toBeDefined();
    const ruleset = JSON.parse(body!) as {
      enforcement: string;
      bypass_actors: unknown[];
      conditions: { ref_name: { include: string[] } };
      rules: {
        type: string;
        parameters: { required_status_checks: { context: string; integration_id?: unknown }[] };
      }[];
    };
    expect(ruleset.enforcement).toBe("active");
    expect(ruleset.bypass_actors).toEqual([]);
    expect(ruleset.conditions.ref_name.include).toContain("~DEFAULT_BRANCH");
    const checks = ruleset.rules.filter((r) => r.type === "required_status_checks");
    expect(checks).toHaveLength(1);
    expect(checks[0]!.parameters.required_status_checks).toEqual([
      { context: CHECK_NAME, integration_id: expect.any(Number) },
    ]);
  });
});

describe("the readers used above", () => {
  test("read set and commented-out variables with the comment directly above", () => {
    const vars = envVariables(
      "# header\n\n# REQUIRED. The id.\nAPP_ID=\n\n# Optional. Port.\n# PORT=3000\nPLAIN=x\n",
    );
    expect(vars).toEqual([
      { name: "APP_ID", value: "", commentedOut: false, comment: "REQUIRED. The id." },
      { name: "PORT", value: "3000", commentedOut: true, comment: "Optional. Port." },
      { name: "PLAIN", value: "x", commentedOut: false, comment: "" },
    ]);
  });

  test("read only the Configure table of a deploy doc", () => {
    const md =
      "## Run\n\n| `PORT` | x |\n\n## Configure\n\n| Variable | x |\n|---|---|\n| `APP_ID` | yes |\n\n## Next\n";
    expect(deployDocVariables(md)).toEqual(["APP_ID"]);
  });
});
