/** Small helpers to build DOM nodes. Text goes in as text, never as HTML. */

/** Creates an element with an optional class name and text content. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A codicon (`codicon-<name>`), hidden from screen readers. */
export function icon(name: string, extraClass?: string): HTMLSpanElement {
  const node = el('span', `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/**
 * A native button styled like VS Code's: `primary` (button colours), `secondary`, or `icon`
 * (toolbar style, label in `aria-label` and `title`).
 */
export function button(label: string, style: 'primary' | 'secondary' | 'icon', iconName?: string): HTMLButtonElement {
  const node = el('button', style === 'icon' ? 'icon-button' : `text-button ${style}`);
  node.type = 'button';
  if (style === 'icon') {
    node.setAttribute('aria-label', label);
    node.title = label;
    if (iconName) node.append(icon(iconName));
  } else {
    if (iconName) node.append(icon(iconName));
    node.append(document.createTextNode(label));
  }
  return node;
}

/**
 * Puts `desired` in `container`, in that order, moving or removing only what differs (keeps
 * focus, selection and open `<details>` of the nodes that stay).
 */
export function reconcileChildren(container: Element, desired: readonly Element[]): void {
  let cursor: ChildNode | null = container.firstChild;
  for (const node of desired) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
    } else {
      container.insertBefore(node, cursor);
    }
  }
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
