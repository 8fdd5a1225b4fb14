import { describe, expect, test } from "@jest/globals";
import { coAuthorLogins, ownersOf, parseCodeowners } from "../../../src/core/approvals/index.js";

const TEXT = `# comment line
*                 @acme/everyone
*.json            @json-owner # trailing comment
/docs/            @docs-owner
docs/*            @flat-docs
apps/             @apps-owner
**/logs           @log-owner
/build/           someone@example.com
!negated.txt      @nobody
prompts/**/*.md   @acme/prompt-owners @carol
/orphan.json
`;

describe("CODEOWNERS parsing and ownership", () => {
  const rules = parseCodeowners(TEXT);

  test("owners are @users and @org/team; emails are dropped; invalid lines are skipped", () => {
    expect(rules.map((r) => r.pattern)).toEqual([
      "*",
      "*.json",
      "/docs/",
      "docs/*",
      "apps/",
      "**/logs",
      "/build/",
      "prompts/**/*.md",
      "/orphan.json",
    ]);
    expect(rules[7]).toMatchObject({ users: ["carol"], teams: ["acme/prompt-owners"], line: 10 });
  });

  test.each([
    ["README.md", { users: [], teams: ["acme/everyone"] }],
    ["config/a.json", { users: ["json-owner"], teams: [] }],
    ["docs/guide.md", { users: ["flat-docs"], teams: [] }],
    ["docs/deep/guide.md", { users: ["docs-owner"], teams: [] }],
    ["src/apps/x/y.ts", { users: ["apps-owner"], teams: [] }],
    ["a/b/logs/today.txt", { users: ["log-owner"], teams: [] }],
    ["build/out.js", { users: [], teams: [] }],
    ["prompts/x/y/z.md", { users: ["carol"], teams: ["acme/prompt-owners"] }],
    ["orphan.json", { users: [], teams: [] }],
  ])("the last matching pattern wins: %s", (path, owners) => {
    expect(ownersOf(rules, path)).toEqual(owners);
  });

  test("no rules: no owners", () => {
    expect(ownersOf(parseCodeowners(""), "a")).toEqual({ users: [], teams: [] });
  });
});

describe("Co-authored-by trailers", () => {
  test("logins come only from GitHub noreply addresses", () => {
    const msg = [
      "Fix",
      "",
      "Co-authored-by: Alice <1234+alice@users.noreply.github.com>",
      "co-authored-by: Bob <bob@users.noreply.github.com>",
      "Co-authored-by: Eve <eve@example.com>",
      "Co-authored-by: Bot <99+helper[bot]@users.noreply.github.com>",
    ].join("\n");
    expect(coAuthorLogins(msg)).toEqual(["alice", "bob", "helper[bot]"]);
    expect(coAuthorLogins("Mentions alice@users.noreply.github.com in the body")).toEqual([]);
  });
});
