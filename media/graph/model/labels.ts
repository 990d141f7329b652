/** Text shown on nodes and in tooltips. Pure functions: also used by the exports. */
import type { GradSummary, SourceLocation, TensorNode } from "../../../src/protocol/graphSnapshot";
import type { VisibleItem } from "./visibleGraph";

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function formatNumber(value: number): string {
  // Statistics cross DAP as JSON, where NaN and Infinity become null.
  if (typeof value !== "number") return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Inf" : "-Inf";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(1).replace("e+", "e");
  return Number(value.toPrecision(3)).toString();
}

export function formatGradShort(grad: GradSummary | null | undefined): string {
  if (!grad) return "∅";
  if (grad.hasNaN) return "NaN";
  if (grad.hasInf) return "Inf";
  return `‖${formatNumber(grad.norm)}‖`;
}

export function formatGradLong(grad: GradSummary | null | undefined): string {
  if (!grad) return "none";
  const flags = [grad.hasNaN ? "has NaN" : "", grad.hasInf ? "has Inf" : ""].filter(Boolean).join(", ");
  const stats = `norm ${formatNumber(grad.norm)} · min ${formatNumber(grad.min)} · max ${formatNumber(grad.max)} · mean ${formatNumber(grad.mean)}`;
  return flags ? `${stats} (${flags})` : stats;
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return "unknown";
  const file = location.path.slice(location.path.replace(/\\/g, "/").lastIndexOf("/") + 1);
  return `${file}:${location.line}:${location.column}`;
}

/** The `data | grad` line of a tensor node. */
export function dataGradLine(node: TensorNode): string {
  return `${node.dataSummary} | ${formatGradShort(node.grad)}`;
}

export interface NodeLabel {
  title: string;
  /** Structural second line (shape, module path): part of the layout size. */
  subtitle: string;
  /** Changes from stop to stop; truncated to the node width, never resizes it. */
  detail: string;
}

export function nodeLabel(item: VisibleItem): NodeLabel {
  if (item.kind === "group") {
    const g = item.group;
    const repeat = g.repeatCount ? ` ×${g.repeatCount}` : "";
    return { title: `▸ ${g.label}${repeat}`, subtitle: `${g.memberIds.length} nodes`, detail: "" };
  }
  const node = item.node;
  // A function's module shows as the frame around it (and in the tooltip).
  if (node.kind === "function") return { title: node.name, subtitle: "", detail: "" };
  const name = node.modulePath && (node.role === "parameter" || node.role === "frozen") ? node.modulePath : node.name;
  return { title: name, subtitle: `${formatShape(node.shape)} ${node.dtype}`, detail: dataGradLine(node) };
}

/** Lines of the hover tooltip: [label, value] pairs. */
export function tooltipRows(item: VisibleItem): Array<[string, string]> {
  if (item.kind === "group") {
    const g = item.group;
    const rows: Array<[string, string]> = [["group", g.label], ["nodes", String(g.memberIds.length)]];
    if (g.repeatCount) rows.push(["repeated", `${g.repeatCount} identical blocks`]);
    rows.push(["", "click or Enter to expand"]);
    return rows;
  }
  const node = item.node;
  if (node.kind === "function") {
    return [
      ["function", node.name],
      ["module", node.modulePath ?? "—"],
      ["grad output", formatGradLong(node.gradOutput)],
      // The debugger records forward lines from the first breakpoint or stop (see the README).
      ["forward", node.forwardLocation ? formatLocation(node.forwardLocation) : "not recorded (made before the first breakpoint or stop)"],
    ];
  }
  return [
    ["tensor", node.name],
    ["role", node.role],
    ["shape", formatShape(node.shape)],
    ["dtype", node.dtype],
    ["requiresGrad", String(node.requiresGrad)],
    ["isLeaf", String(node.isLeaf)],
    ["data", node.dataSummary],
    ["grad", formatGradLong(node.grad)],
    ...(node.modulePath ? [["module", node.modulePath] as [string, string]] : []),
    ["forward", formatLocation(node.forwardLocation)],
  ];
}
