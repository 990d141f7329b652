/** Keyboard navigation: which node an arrow key moves to from the focused one. */
import type { PlacedItem, Scene } from "../render/scene";

export type Direction = "up" | "down" | "left" | "right";

function centre(p: PlacedItem): { x: number; y: number } {
  return { x: p.x + p.width / 2, y: p.y + p.height / 2 };
}

/**
 * Up and down follow edges (against and along gradient flow), choosing the
 * horizontally nearest neighbour; left and right move within the same row. When no
 * edge leads that way, the nearest node in that direction is taken.
 */
export function neighbourInDirection(scene: Scene, fromId: string, direction: Direction): string | null {
  const from = scene.byId.get(fromId);
  if (!from) return null;
  const c = centre(from);
  if (direction === "up" || direction === "down") {
    const linked = scene.edges
      .filter((e) => (direction === "down" ? e.edge.from === fromId : e.edge.to === fromId))
      .map((e) => scene.byId.get(direction === "down" ? e.edge.to : e.edge.from)!)
      .filter(Boolean);
    if (linked.length) return nearest(linked, (p) => Math.abs(centre(p).x - c.x));
  }
  const candidates = scene.items.filter((p) => {
    const pc = centre(p);
    if (p === from) return false;
    switch (direction) {
      case "down":
        return pc.y > c.y + 1;
      case "up":
        return pc.y < c.y - 1;
      case "left":
        return pc.x < c.x - 1 && Math.abs(pc.y - c.y) <= from.height;
      case "right":
        return pc.x > c.x + 1 && Math.abs(pc.y - c.y) <= from.height;
    }
  });
  return candidates.length ? nearest(candidates, (p) => Math.hypot(centre(p).x - c.x, (centre(p).y - c.y) * 2)) : null;
}

function nearest(items: PlacedItem[], distance: (p: PlacedItem) => number): string {
  let best = items[0];
  for (const p of items) if (distance(p) < distance(best)) best = p;
  return best.item.id;
}
