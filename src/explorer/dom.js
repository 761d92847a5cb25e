// The explorer's one way to make page elements: text is always set as text, never as HTML.

export const $ = (id) => document.getElementById(id);

/** el("li", { className: "gap", title: "…" }, "text", child, …): attributes are properties, except data-* and aria-*. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("data-") || name.startsWith("aria-") || name === "role" || name === "for" || name === "scope") element.setAttribute(name, String(value));
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element[name] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A heading and a list, with "none" when the list is empty. */
export function listOf(title, items, none) {
  return el("div", {}, el("h3", {}, title), el("ul", {}, ...(items.length ? items : [none]).map((item) => el("li", {}, item))));
}
