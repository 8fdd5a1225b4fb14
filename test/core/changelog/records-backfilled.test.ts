import { describe, expect, test } from "@jest/globals";
import {
  backfilledMergedRecord,
  mergedRecord,
  UNKNOWABLE_MERGED_FIELDS,
} from "../../../src/core/changelog/records/index.js";
import { emptyLogState, sealRecords } from "../../../src/core/changelog/seal.js";
import { validateDraft, validateRecord } from "../../../src/core/changelog/validate-record.js";
import { BASE, backfilledFacts, HEAD, MERGE, recordSchema, scenario } from "./records-fixtures.js";

const schema = recordSchema();
type Obj = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const problems = (d: Obj) => validateDraft(d, schema).join("\n");
const valueAt = (r: Obj, path: string): unknown => {
  const [head, tail] = path.split(".") as [string, string | undefined];
  return tail === undefined ? r[head] : (r[head] as Obj)[tail];
};

describe("backfilledMergedRecord: a change.merged record recovered from git", () => {
  test("a squash merge without a branch name validates, as a draft and sealed", () => {
    const d = backfilledMergedRecord(backfilledFacts()) as Obj;
    expect(validateDraft(d, schema)).toEqual([]);
    const { records } = sealRecords(emptyLogState(), [d as never]);
    expect(validateRecord(records[0], schema)).toEqual([]);
  });

  test("a merge commit with both parents and the branch validates; what git knows is not listed", () => {
    const d = backfilledMergedRecord(
      backfilledFacts({ head_ref: "feat-7", head_sha: HEAD, merge_method: "merge" }),
    ) as Obj;
    expect(validateDraft(d, schema)).toEqual([]);
    expect(d).toMatchObject({ head_ref: "feat-7", head_sha: HEAD, base_sha: BASE, merge_commit_sha: MERGE });
    expect(d.unknown).not.toEqual(expect.arrayContaining(["head_ref"]));
    expect(d.unknown).not.toContain("head_sha");
    expect(d.unknown).not.toContain("base_sha");
  });

  test("`unknown` lists exactly the fields that are null, in the schema's order", () => {
    const d = backfilledMergedRecord(backfilledFacts()) as Obj;
    const nulls = UNKNOWABLE_MERGED_FIELDS.filter((f) => valueAt(d, f) === null);
    expect(d.unknown).toEqual(nulls);
    expect(d.unknown).toEqual(expect.arrayContaining(["approvals", "merged_by", "verdicts", "head_sha"]));
    expect(d).toMatchObject({
      capture_mode: "reconcile",
      delivery_id: null,
      result: "exception",
      exceptions: [{ code: "CAPTURED_BY_RECONCILE" }],
      linked_tickets: ["ACME-7"],
    });
  });

  test("the schema's list of unknowable fields is the code's", () => {
    const merged = (
      schema.$defs as Record<string, { properties: Record<string, { items: { enum: string[] } }> }>
    ).change_merged!;
    expect(merged.properties.unknown!.items.enum).toEqual([...UNKNOWABLE_MERGED_FIELDS]);
  });
});

describe("null is allowed only for fields listed in `unknown`", () => {
  const backfilled = () => clone(backfilledMergedRecord(backfilledFacts())) as Obj;
  const webhook = () => clone(mergedRecord(scenario())) as Obj;

  test("a webhook record with a null approval field is rejected", () => {
    for (const field of ["approvals", "required_approvals", "verdicts", "merged_by"]) {
      const r = webhook();
      r[field] = null;
      expect(problems(r)).toMatch(new RegExp(`/${field} must be (array|integer|object)`));
    }
    const r = webhook();
    (r.pr as Obj).node_id = null;
    expect(problems(r)).toMatch(/\/pr\/node_id must be string/);
  });

  test("a webhook record may not carry `unknown`, even with its nulls listed", () => {
    const r = webhook();
    r.approvals = null;
    r.unknown = ["approvals"];
    expect(problems(r)).toMatch(/capture_mode must be equal to constant/);
  });

  test("a reconciled record with a null field it does not list is rejected", () => {
    const r = backfilled();
    r.unknown = (r.unknown as string[]).filter((f) => f !== "approvals");
    expect(problems(r)).toMatch(/\/approvals must be array/);
  });

  test("a listed field must be null", () => {
    const r = backfilled();
    r.approvals = [];
    expect(problems(r)).toMatch(/\/approvals must be null/);
  });

  test("fields git knows may not be null or listed", () => {
    const nullMerge = backfilled();
    nullMerge.merged_at = null;
    expect(problems(nullMerge)).toMatch(/\/merged_at must be string/);
    const listed = backfilled();
    listed.merged_at = null;
    listed.unknown = [...(listed.unknown as string[]), "merged_at"];
    expect(problems(listed)).toMatch(/\/unknown\/\d+ must be equal to one of the allowed values/);
  });

  test("a backfilled record cannot pass: it must carry CAPTURED_BY_RECONCILE", () => {
    const passing = backfilled();
    passing.result = "pass";
    passing.exceptions = [];
    expect(problems(passing)).toMatch(/result must be equal to constant/);
    const otherCode = backfilled();
    otherCode.exceptions = [{ code: "RECORDS_MISSING", detail: "x" }];
    expect(problems(otherCode)).toMatch(/exceptions must contain at least 1 valid item/);
  });

  test("`unknown` is not empty and has no repeats", () => {
    const empty = backfilled();
    empty.unknown = [];
    expect(problems(empty)).toMatch(/unknown must NOT have fewer than 1 items/);
    const twice = backfilled();
    twice.unknown = [...(twice.unknown as string[]), "approvals"];
    expect(problems(twice)).toMatch(/unknown must NOT have duplicate items/);
  });

  test("a full reconciled record (from GitHub) needs no `unknown` and stays strict", () => {
    const r = webhook();
    r.capture_mode = "reconcile";
    r.delivery_id = null;
    expect(problems(r)).toBe("");
    r.risk = null;
    expect(problems(r)).toMatch(/\/risk must be string/);
  });
});
