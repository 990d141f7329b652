/** The hover card. Built with textContent only: names come from the user's program. */
export class Tooltip {
  constructor(private readonly element: HTMLElement) {}

  show(rows: Array<[string, string]>, clientX: number, clientY: number): void {
    const table = document.createElement("table");
    for (const [label, value] of rows) {
      const tr = table.insertRow();
      const th = document.createElement("th");
      th.textContent = label;
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(th, td);
    }
    this.element.replaceChildren(table);
    this.element.hidden = false;
    const stage = this.element.parentElement!.getBoundingClientRect();
    const box = this.element.getBoundingClientRect();
    let left = clientX - stage.left + 14;
    let top = clientY - stage.top + 14;
    if (left + box.width > stage.width) left = Math.max(4, clientX - stage.left - box.width - 14);
    if (top + box.height > stage.height) top = Math.max(4, clientY - stage.top - box.height - 14);
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
