// What a page shows a reader, collected in the browser for the i18n test: every visible text node and
// the attributes people read (aria-label, title, placeholder, alt, data-label), plus document.title.
// Skipped: user data (inside [data-i18n-skip]), code (code, pre, .mono), text marked as another
// language with its own lang attribute (the language switch names each language in itself), and
// text nodes that are not rendered (closed dialogs, hidden drawers, display: none).
import type { Page } from "playwright-core";

export interface ShownText {
  text: string;
  /** "text", an attribute name, or "document.title". */
  kind: string;
  /** The element, as tag#id.class inside its parent, for the failure message. */
  element: string;
}

export const READ_ATTRIBUTES = ["aria-label", "title", "placeholder", "alt", "data-label"];

/**
 * Runs in the page. A string, not a function: the root tsconfig checks this folder without the DOM's
 * types, as the suite's other in-page scripts do.
 */
const COLLECT = `(attributes) => {
  const pageLang = document.documentElement.lang;
  const describe = (el) => {
    if (!el) return "";
    const id = el.id ? "#" + el.id : "";
    const classes = [...el.classList].map((c) => "." + c).join("");
    return el.tagName.toLowerCase() + id + classes;
  };
  const where = (el) => describe(el.parentElement) + " > " + describe(el);
  const skipped = (el) =>
    el.closest("[data-i18n-skip], code, pre, .mono, script, style, noscript, template") !== null ||
    (el.closest("[lang]")?.getAttribute("lang") ?? pageLang) !== pageLang;
  // An option has no box of its own: it shows when its select does.
  const rendered = (el) =>
    (el.closest("select") ?? el).checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const squeeze = (s) => (s ?? "").replace(/\\s+/g, " ").trim();
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = squeeze(node.textContent);
    const el = node.parentElement;
    if (!text || !el || skipped(el) || !rendered(el)) continue;
    found.push({ text, kind: "text", element: where(el) });
  }
  for (const el of document.body.querySelectorAll(attributes.map((a) => "[" + a + "]").join(","))) {
    if (skipped(el)) continue;
    for (const a of attributes) {
      const text = squeeze(el.getAttribute(a));
      if (text) found.push({ text, kind: a, element: where(el) });
    }
  }
  found.push({ text: document.title, kind: "document.title", element: "title" });
  return found;
}`;

/** The page's texts as shown now; run it once the page has loaded. */
export function shownTexts(page: Page): Promise<ShownText[]> {
  return page.evaluate(`(${COLLECT})(${JSON.stringify(READ_ATTRIBUTES)})`) as Promise<ShownText[]>;
}
