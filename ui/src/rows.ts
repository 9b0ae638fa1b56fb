// Views update in place when the engine reports a run: a list's rows are matched to the new data
// by key and kept, so the focus (a Retry button, an order's link) and a selection inside them
// survive a sync; text is written only when it changed, so a live region speaks for a change, not
// for every refresh.

/** Sets `el`'s text only when it differs. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Makes `parent`'s children one row per item, in order. A row whose key (`data-key`) is already
 * there is kept and given to `update`; a new key gets a row from `create`; other children go.
 * Rows are placed around the one holding the focus, which itself never moves: moving an element
 * out of the document and back would drop its focus.
 */
export function syncRows<T>(
  parent: Element,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => HTMLElement,
  update: (row: HTMLElement, item: T) => void,
): void {
  const kept = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children) as HTMLElement[]) {
    const k = child.dataset.key;
    if (k !== undefined && !kept.has(k)) kept.set(k, child);
    else child.remove();
  }
  const rows = items.map((item) => {
    const k = key(item);
    const row = kept.get(k);
    kept.delete(k);
    if (row) {
      update(row, item);
      return row;
    }
    const fresh = create(item);
    fresh.dataset.key = k;
    return fresh;
  });
  for (const gone of kept.values()) gone.remove();

  const focus = document.activeElement;
  const anchor = rows.findIndex((row) => focus !== null && row.contains(focus));
  if (anchor < 0) {
    rows.forEach((row, i) => {
      if (parent.children[i] !== row) parent.insertBefore(row, parent.children[i] ?? null);
    });
    return;
  }
  for (let i = anchor - 1; i >= 0; i--) {
    if (rows[i].nextElementSibling !== rows[i + 1]) parent.insertBefore(rows[i], rows[i + 1]);
  }
  for (let i = anchor + 1; i < rows.length; i++) {
    if (rows[i].previousElementSibling !== rows[i - 1]) rows[i - 1].after(rows[i]);
  }
}
