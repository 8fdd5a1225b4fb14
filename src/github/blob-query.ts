import type { FileBlob } from "../core/types.js";

/**
 * Reading many files in one GraphQL request: one aliased `object(expression: "<commit>:<path>")` per blob.
 * GitHub serves the text of blobs up to a size limit; larger or binary ones come back without text and are
 * read through the REST raw media type instead.
 */

/** Blobs per GraphQL query: a PR of up to 100 changed configs (two sides each) and the schemas its policy names fit in one request. */
export const GRAPHQL_BLOBS_PER_QUERY = 300;

export const BLOB_FIELDS = "__typename ... on Blob { byteSize isBinary isTruncated text }";

export interface GraphqlObject {
  __typename?: string;
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
  text?: string | null;
}

/** The aliased selections and variables for a list of `<commit>:<path>` expressions. */
export function blobSelections(
  expressions: readonly string[],
  prefix: string,
): { selections: string; variables: Record<string, string>; declarations: string } {
  const variables: Record<string, string> = {};
  const selections: string[] = [];
  const declarations: string[] = [];
  expressions.forEach((expression, i) => {
    const name = `${prefix}${i}`;
    variables[name] = expression;
    declarations.push(`$${name}: String!`);
    selections.push(`${name}: object(expression: $${name}) { ${BLOB_FIELDS} }`);
  });
  return { selections: selections.join("\n"), variables, declarations: declarations.join(", ") };
}

export type BlobRead =
  | { kind: "blob"; blob: FileBlob }
  | { kind: "missing" }
  /** Needs the REST raw read: binary, or text GitHub truncated, and within the size limit. */
  | { kind: "raw"; size: number };

const encoder = new TextEncoder();

/** What one GraphQL object says about a path at a commit. */
export function readObject(object: GraphqlObject | null | undefined, maxBytes: number): BlobRead {
  if (!object) return { kind: "missing" };
  if (object.__typename === "Commit") return { kind: "blob", blob: { size: 0, mode: "submodule" } };
  if (object.__typename !== "Blob") return { kind: "missing" }; // a directory (tree) is not a file
  const size = object.byteSize ?? 0;
  if (size > maxBytes) return { kind: "blob", blob: { size, mode: "file" } };
  if (object.isBinary || object.isTruncated || typeof object.text !== "string") return { kind: "raw", size };
  return { kind: "blob", blob: { size, data: encoder.encode(object.text), mode: "file" } };
}
