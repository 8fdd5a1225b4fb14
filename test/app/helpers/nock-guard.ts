import { afterEach, beforeEach, expect } from "@jest/globals";
import nock from "nock";
import { trackUnmatched } from "./fake-github.js";

/**
 * Registers the hooks every HTTP-level test needs: no real network, and after each test no request that
 * matched no interceptor and no interceptor left unused.
 */
export function guardNock(options: { allowLoopback?: boolean } = {}): void {
  let unmatched: ReturnType<typeof trackUnmatched>;
  beforeEach(() => {
    nock.disableNetConnect();
    if (options.allowLoopback) nock.enableNetConnect("127.0.0.1");
    unmatched = trackUnmatched();
  });
  afterEach(() => {
    unmatched.stop();
    expect(unmatched.unmatched).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
