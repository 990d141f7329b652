/**
 * A standalone SVG of the drawn graph: the live drawing is cloned and the theme-resolved
 * colours are written onto each element, since the file will be opened without the
 * page's stylesheet and without VS Code's theme variables.
 */
const PAINT_PROPERTIES = ["fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "fill-opacity", "font-size", "font-weight", "font-family", "text-anchor", "display"] as const;

export function exportSvg(svg: SVGSVGElement, layer: SVGGElement, width: number, height: number): string {
  // Text hidden at low zoom must still be in the file.
  const lowDetail = svg.classList.contains("lod-low");
  svg.classList.remove("lod-low");
  try {
    const clone = layer.cloneNode(true) as SVGGElement;
    clone.removeAttribute("transform");
    inlinePaint(layer, clone);
    const liveDefs = svg.querySelector("defs");
    let defs = "";
    if (liveDefs) {
      const defsClone = liveDefs.cloneNode(true) as SVGDefsElement;
      inlinePaint(liveDefs, defsClone);
      defs = new XMLSerializer().serializeToString(defsClone);
    }
    const background = getComputedStyle(svg).backgroundColor;
    const w = Math.ceil(width);
    const h = Math.ceil(height);
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
      defs +
      `<rect width="100%" height="100%" fill="${background}"/>` +
      new XMLSerializer().serializeToString(clone) +
      `</svg>\n`
    );
  } finally {
    svg.classList.toggle("lod-low", lowDetail);
  }
}

/**
 * Writes computed paint as presentation attributes (not style attributes, which the
 * page's CSP forbids) on the clone, element by element in document order.
 */
function inlinePaint(liveRoot: Element, cloneRoot: Element): void {
  const live = liveRoot.querySelectorAll<SVGElement>("*");
  const copies = cloneRoot.querySelectorAll<SVGElement>("*");
  const cache = new Map<string, Array<[string, string]>>();
  live.forEach((element, i) => {
    // Elements with the same tag and classes (and parent classes) share their paint.
    const key = `${element.tagName}|${element.getAttribute("class") ?? ""}|${element.parentElement?.getAttribute("class") ?? ""}`;
    let paint = cache.get(key);
    if (!paint) {
      const computed = getComputedStyle(element);
      paint = PAINT_PROPERTIES.map((p) => [p, computed.getPropertyValue(p)] as [string, string]).filter(([, v]) => v !== "");
      cache.set(key, paint);
    }
    for (const [property, value] of paint) copies[i].setAttribute(property, value);
  });
}

/** Renders SVG text to a PNG data URL (at most 8192 px on a side; browsers refuse larger canvases). */
export async function svgToPng(svgText: string, width: number, height: number): Promise<string> {
  const maxSide = 8192;
  const scale = Math.min(2, maxSide / Math.max(width, height, 1));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error("could not rasterise the SVG"));
  });
  image.src = `data:image/svg+xml;base64,${utf8ToBase64(svgText)}`;
  await loaded;
  const context = canvas.getContext("2d")!;
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL("image/png");
}

function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
