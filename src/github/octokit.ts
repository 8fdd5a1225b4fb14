import type { ProbotOctokit } from "probot";

/** The Octokit a Probot context hands out (Probot 14: `.rest.*` endpoint methods and `.graphql`). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

/** A GraphQL error response with partial data (Octokit's GraphqlResponseError), recognised by shape. */
export interface GraphqlPartial {
  data: Record<string, unknown> | null;
  errors: { type?: string; path?: (string | number)[]; message: string }[];
}

export function asGraphqlPartial(error: unknown): GraphqlPartial | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: unknown; errors?: unknown; data?: unknown };
  if (e.name !== "GraphqlResponseError" || !Array.isArray(e.errors)) return undefined;
  return {
    data: (e.data as Record<string, unknown> | null) ?? null,
    errors: e.errors as GraphqlPartial["errors"],
  };
}
