/**
 * Graphviz DOT of the current view, in torchviz's own colours (DOT files are viewed
 * outside VS Code, so theme colours would not mean anything there).
 */
import type { Scene } from "../render/scene";

const TORCHVIZ_FILL: Record<string, string> = {
  parameter: "lightblue",
  leaf: "lightblue",
  frozen: "lightgrey",
  output: "darkolivegreen1",
  saved: "orange",
  intermediate: "white",
  constant: "white",
};

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

export function toDot(scene: Scene): string {
  const lines = [
    "digraph gradscope {",
    '  graph [rankdir=TB, fontname="Helvetica"];',
    '  node [shape=box, style="filled,rounded", fontname="Helvetica", fontsize=10, fillcolor=lightgrey];',
    "  edge [arrowsize=0.7];",
  ];
  for (const p of scene.items) {
    const label = [p.label.title, p.label.subtitle, p.label.detail].filter(Boolean).join("\n");
    const attrs = [`label=${quote(label)}`];
    const item = p.item;
    if (item.kind === "tensor" && item.node.kind === "tensor") {
      const nonFinite = item.node.grad?.hasNaN || item.node.grad?.hasInf;
      attrs.push(`fillcolor=${nonFinite ? "red" : TORCHVIZ_FILL[item.node.role] ?? "white"}`, "shape=box");
      if (item.node.role === "frozen") attrs.push('style="filled,rounded,dashed"');
    } else if (item.kind === "group") {
      attrs.push("shape=box3d", "fillcolor=white");
    }
    lines.push(`  ${quote(item.id)} [${attrs.join(", ")}];`);
  }
  for (const e of scene.edges) {
    const attrs = e.edge.kind === "saved" ? " [style=dashed, arrowhead=none]" : "";
    lines.push(`  ${quote(e.edge.from)} -> ${quote(e.edge.to)}${attrs};`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
