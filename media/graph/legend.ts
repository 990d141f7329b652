/** The legend: the colour language spelled out, drawn with the same classes as the graph. */
const ENTRIES: Array<[string, string]> = [
  ["kind-tensor role-parameter", "parameter / leaf (requires grad)"],
  ["kind-tensor role-frozen", "frozen (requiresGrad off)"],
  ["kind-tensor role-output", "output"],
  ["kind-tensor role-saved", "saved for backward"],
  ["kind-tensor role-intermediate", "other tensor"],
  ["kind-function", "backward function"],
  ["kind-group", "collapsed module"],
  ["kind-tensor nonfinite", "NaN / Inf"],
];

const HEALTH: Array<[string, string]> = [
  ["vanishing", "‖g‖ < 1e-7"],
  ["small", "< 1e-4"],
  ["ok", "ok"],
  ["large", "> 1e2"],
  ["exploding", "> 1e4"],
];

export function buildLegend(container: HTMLElement): void {
  const list = document.createElement("ul");
  for (const [classes, text] of ENTRIES) {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `swatch ${classes}`;
    li.append(swatch, document.createTextNode(text));
    list.append(li);
  }
  const health = document.createElement("div");
  health.className = "health-scale";
  const title = document.createElement("span");
  title.textContent = "grad norm";
  health.append(title);
  for (const [bucket, text] of HEALTH) {
    const chip = document.createElement("span");
    chip.className = `chip grad-${bucket}`;
    chip.textContent = text;
    health.append(chip);
  }
  const states = document.createElement("div");
  states.className = "state-scale";
  for (const [cls, text] of [["bw-current", "current"], ["bw-pending", "pending"], ["bw-done", "done"]]) {
    const chip = document.createElement("span");
    chip.className = `chip state ${cls}`;
    chip.textContent = text;
    states.append(chip);
  }
  container.replaceChildren(list, health, states);
}
