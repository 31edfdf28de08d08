// Building the page from data: text only, never HTML the page did not write (the content security policy refuses
// inline scripts and style attributes; styles go through the CSSOM).

export const $ = (id) => document.getElementById(id);

/** An element with text and attributes. */
export function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  return node;
}

/** Replaces a select's options ([value, label] pairs, or groups { group, options }) keeping the chosen value. */
export function fillSelect(select, options, selected) {
  const option = ([value, text]) => {
    const node = element("option", text, { value });
    node.selected = value === selected;
    return node;
  };
  select.replaceChildren(...options.map(o => {
    if (!o.group) return option(o);
    const group = element("optgroup", undefined, { label: o.group });
    group.append(...o.options.map(option));
    return group;
  }));
}

/**
 * A table with a caption, column headers and rows of cells; a cell is text, a node, or { text, number: true }
 * for a right-aligned figure, or { text, header: true } for a row header.
 */
export function table(caption, columns, rows, attributes) {
  const node = element("table", undefined, attributes);
  node.append(element("caption", caption));
  const head = element("tr");
  for (const column of columns) head.append(element("th", column, { scope: "col" }));
  node.createTHead().append(head);
  const body = node.appendChild(element("tbody"));
  for (const cells of rows) {
    const row = element("tr");
    for (const cell of cells) {
      if (cell instanceof Node) {
        const td = element("td");
        td.append(cell);
        row.append(td);
        continue;
      }
      const spec = typeof cell === "object" && cell !== null ? cell : { text: cell };
      const td = element(spec.header ? "th" : "td", spec.text ?? "", spec.header ? { scope: "row" } : spec.number ? { class: "number" } : undefined);
      row.append(td);
    }
    body.append(row);
  }
  return node;
}

/** A link to a screen of the app (hash route). */
export function screenLink(text, route, attributes) {
  return element("a", text, { href: `#/${route}`, ...attributes });
}
