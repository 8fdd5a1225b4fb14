import { generateKeyPairSync } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { checkpointRecordDraft, makeCheckpoint } from "../../../src/core/changelog/checkpoint.js";
import { keyFingerprint, keyRotationFields } from "../../../src/core/changelog/keys.js";
import {
  directPushRecord,
  EXCEPTION_CODES,
  keyRotatedRecord,
  mergedRecord,
  policyChangedRecord,
  postReviewRecord,
  reconcileRunRecord,
} from "../../../src/core/changelog/records/index.js";
import { emptyLogState, sealRecords } from "../../../src/core/changelog/seal.js";
import { RECORD_TYPES, type RecordDraft } from "../../../src/core/changelog/types.js";
import { validateDraft, validateRecord } from "../../../src/core/changelog/validate-record.js";
import { RISK_TIERS } from "../../../src/core/types.js";
import {
  directPushFacts,
  policyChangedFacts,
  postReviewFacts,
  reconcileFacts,
  recordSchema,
  review,
  scenario,
} from "./records-fixtures.js";

const schema = recordSchema();
const key = generateKeyPairSync("ed25519");
const key2 = generateKeyPairSync("ed25519");

/** One draft of every record type, each from its builder (or the integrity core for checkpoints). */
function everyDraft(): RecordDraft[] {
  const note = makeCheckpoint(
    {
      origin: "cc8.example/acme/agents",
      size: 6,
      root: "d".repeat(64),
      lastHash: "e".repeat(64),
      time: "2026-03-06T01:00:00Z",
    },
    key.privateKey,
  );
  return [
    mergedRecord(scenario()),
    mergedRecord(
      scenario({ reviews: [review("author")], gate: false, checks: [{ name: "ci", conclusion: null }] }),
    ),
    directPushRecord(directPushFacts({ forced: true, pusher: null })),
    postReviewRecord(postReviewFacts({ issue_url: undefined })),
    policyChangedRecord(policyChangedFacts({ before: null, changed_by: null })),
    reconcileRunRecord(reconcileFacts()),
    checkpointRecordDraft(note, keyFingerprint(key.publicKey), "2026-03-06T01:00:01Z"),
    keyRotatedRecord({
      ...keyRotationFields(key.privateKey, key2.privateKey, "2026-03-07T00:00:00Z"),
      recorded_at: "2026-03-07T00:00:00Z",
    }),
  ];
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("every builder's output validates against schemas/changelog-record.schema.json", () => {
  const drafts = everyDraft();

  test("one draft per record type", () => {
    expect([...new Set(drafts.map((d) => d.type))].sort()).toEqual([...RECORD_TYPES].sort());
  });

  test.each(drafts.map((d) => [d.type, d] as const))("%s draft is valid", (_type, d) => {
    expect(validateDraft(d, schema)).toEqual([]);
  });

  test("sealed by the integrity core, every record is valid", () => {
    const { records } = sealRecords(emptyLogState(), drafts);
    for (const r of records) expect(validateRecord(r, schema)).toEqual([]);
  });

  test("a draft lacks the seal fields, so it is not a valid sealed record", () => {
    expect(validateRecord(drafts[0], schema).join("\n")).toMatch(/must have required property 'seq'/);
  });
});

describe("the schema is strict", () => {
  const merged = () => clone(mergedRecord(scenario()));

  test.each([
    [
      "a float PR number",
      (r: Record<string, unknown>) => ((r.pr as Record<string, unknown>).number = 42.5),
      /pr\/number must be integer/,
    ],
    [
      "an unknown field",
      (r: Record<string, unknown>) => Object.assign(r, { note: "x" }),
      /additional properties \(note\)/,
    ],
    [
      "an unknown nested field",
      (r: Record<string, unknown>) => Object.assign(r.verdicts as object, { extra: true }),
      /verdicts must NOT have additional properties/,
    ],
    ["a missing field", (r: Record<string, unknown>) => delete r.verdicts, /required property 'verdicts'/],
    [
      "a numeric GitHub id",
      (r: Record<string, unknown>) => Object.assign(r.repository as object, { id: 1296269 }),
      /repository\/id must be string/,
    ],
    [
      "a non-UTC time",
      (r: Record<string, unknown>) => Object.assign(r, { merged_at: "2026-03-02T12:00:00+01:00" }),
      /merged_at must match pattern/,
    ],
    [
      "an unknown exception code",
      (r: Record<string, unknown>) => Object.assign(r, { exceptions: [{ code: "OOPS", detail: "x" }] }),
      /exceptions\/0\/code must be equal to one of the allowed values/,
    ],
    [
      "a short SHA",
      (r: Record<string, unknown>) => Object.assign(r, { head_sha: "abc123" }),
      /head_sha must match pattern/,
    ],
  ])("rejects %s", (_what, edit, message) => {
    const r = merged();
    edit(r);
    const problems = validateDraft(r, schema);
    expect(problems.join("\n")).toMatch(message);
  });

  test("rejects a float seq or leaf index in a sealed record", () => {
    const [sealed] = sealRecords(emptyLogState(), [mergedRecord(scenario())]).records;
    expect(validateRecord({ ...sealed, seq: 1.5 }, schema).join("\n")).toMatch(/seq must be integer/);
    expect(validateRecord({ ...sealed, leaf_index: 0.5 }, schema).join("\n")).toMatch(
      /leaf_index must be integer/,
    );
  });

  test("rejects an unknown record type and a field of another type", () => {
    expect(validateDraft({ ...merged(), type: "change.unknown" }, schema).join("\n")).toMatch(
      /type must be equal to one of/,
    );
    const push = clone(directPushRecord(directPushFacts()));
    expect(validateDraft({ ...push, verdicts: merged().verdicts }, schema).join("\n")).toMatch(
      /additional properties \(verdicts\)/,
    );
  });

  test("the schema's enums match the code's", () => {
    const defs = schema.$defs as Record<
      string,
      { properties: Record<string, { enum?: unknown[]; const?: unknown }> }
    >;
    expect((schema.properties as { type: { enum: string[] } }).type.enum).toEqual([...RECORD_TYPES]);
    expect(defs.exception!.properties.code!.enum).toEqual([...EXCEPTION_CODES]);
    // `risk` is null only in a backfilled record (listed in `unknown`): its non-null branch holds the tiers.
    const risk = defs.change_merged!.properties.risk as { oneOf: { enum?: unknown[] }[] };
    expect(risk.oneOf.find((b) => b.enum)!.enum).toEqual([...RISK_TIERS]);
    for (const t of RECORD_TYPES) expect(defs[t.replace(".", "_")]!.properties.type!.const).toBe(t);
  });

  test("numbers are integers everywhere: no property of the schema allows type number", () => {
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"type":\s*"number"|"number"\]/);
  });
});
