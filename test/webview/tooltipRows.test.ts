/** The graph panel's hover tooltip for a backward function, with and without its forward line. */
import { describe, expect, it } from "vitest";
import { tooltipRows } from "../../media/graph/model/labels";
import type { FunctionNode } from "../../src/protocol/graphSnapshot";

const rowsOf = (node: FunctionNode) => Object.fromEntries(tooltipRows({ id: node.id, kind: "function", node }));

describe("function tooltip", () => {
  it("shows the forward line where the engine recorded it", () => {
    const node: FunctionNode = { kind: "function", id: "f1", name: "MulBackward0", forwardLocation: { path: "/work/train.ts", line: 12, column: 9 } };
    expect(rowsOf(node)).toMatchObject({ function: "MulBackward0", forward: "train.ts:12:9" });
  });

  it("says why a node has none: it was made before the debugger recorded forward lines", () => {
    const node: FunctionNode = { kind: "function", id: "f2", name: "AddBackward0" };
    expect(rowsOf(node).forward).toBe("not recorded (made before the first breakpoint or stop)");
  });
});
