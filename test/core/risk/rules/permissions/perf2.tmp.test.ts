import { test } from "@jest/globals";
import { compareRuleSets } from "../../../../../src/core/model/permission-rules.js";
import { perm002 } from "../../../../../src/core/risk/rules/permissions/perm-002.js";
import { claudeGrantRisk, show } from "../../../../../src/core/risk/rules/permissions/shared.js";
import { fileContext } from "../../../../helpers/risk.js";
import { json } from "./util.js";

function settings(seed: number, extra: number): string {
  const allow = Array.from(
    { length: 40 + extra },
    (_, i) => [`Bash(tool${(i * 7 + seed) % 60} *)`, `Read(./src/m${i}/**)`, `mcp__s${i % 5}__t${i}`][i % 3],
  );
  const deny = Array.from(
    { length: 15 },
    (_, i) => [`Bash(rm${i}:*)`, `Read(./secret${i}/**)`, `WebFetch(domain:x${i}.com)`][i % 3],
  );
  return json({ permissions: { allow, deny, ask: ["Bash(git push:*)"], defaultMode: "default" } });
}
test("profile", () => {
  const files = Array.from({ length: 1000 }, (_, i) =>
    fileContext({ path: `p${i}/.claude/settings.json`, before: settings(i, 0), after: settings(i + 1, 3) }),
  );
  let t = Date.now();
  let w = 0;
  for (const f of files)
    w += compareRuleSets(f.before!.model.permissions!.rules, f.after!.model.permissions!.rules).widenedAllow
      .length;
  console.log("compare", Date.now() - t, w);
  t = Date.now();
  for (const f of files) for (const r of f.after!.model.permissions!.rules) f.locate(r.pointer);
  console.log("locate", Date.now() - t);
  t = Date.now();
  for (const f of files)
    for (const r of f.after!.model.permissions!.rules) {
      claudeGrantRisk(r.rule);
      show(r.rule);
    }
  console.log("risk+show", Date.now() - t);
  t = Date.now();
  for (const f of files) perm002.check(f);
  console.log("perm002", Date.now() - t);
});
