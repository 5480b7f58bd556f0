/**
 * Enough of vitest's API to run a test file's suites in a browser page: `describe`/`it` collect
 * the tests, `expect` is vitest's own (chai with the Jest matchers), and `runCollected` runs them.
 */

import { JestAsymmetricMatchers, JestChaiExpect, JestExtend } from "@vitest/expect";
import * as chai from "chai";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

type Body = () => unknown;

interface Collected {
  name: string;
  body: Body;
}

const tests: Collected[] = [];
const prefix: string[] = [];
const afterEachHooks: Body[] = [];

export const expect = ((value: unknown, message?: string) =>
  chai.expect(value, message)) as unknown as typeof import("vitest").expect;

export function describe(name: string, body: () => void): void {
  prefix.push(name);
  try {
    body();
  } finally {
    prefix.pop();
  }
}

export function it(name: string, body: Body): void {
  tests.push({ name: [...prefix, name].join(" > "), body });
}

export const test = it;

export function afterEach(hook: Body): void {
  afterEachHooks.push(hook);
}

export interface BrowserTestResult {
  name: string;
  error: string | null;
}

/** Run every collected test in order; a failure is reported, not thrown. */
export async function runCollected(): Promise<BrowserTestResult[]> {
  const results: BrowserTestResult[] = [];
  for (const t of tests) {
    let error: string | null = null;
    try {
      await t.body();
      for (const hook of afterEachHooks) await hook();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    results.push({ name: t.name, error });
  }
  return results;
}
