import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../src/lib/return-path";

describe("safeReturnPath (sign-in's `next`)", () => {
  it("keeps paths on this site", () => {
    expect(safeReturnPath("/n/abc?x=1#cell-2")).toBe("/n/abc?x=1#cell-2");
    expect(safeReturnPath("/account")).toBe("/account");
  });

  it("refuses anything that could leave the site", () => {
    for (const next of [
      "//evil.test",
      "/\\evil.test",
      "/\t/evil.test",
      "https://evil.test/",
      "javascript:alert(1)",
      "evil.test",
      "",
      undefined,
      ["/a", "/b"],
    ]) {
      expect(safeReturnPath(next)).toBe("/notebooks");
    }
  });
});
