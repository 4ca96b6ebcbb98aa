/**
 * The completion list above the input box (slash commands, `@agent` names): a `listbox` whose
 * active option the input names with `aria-activedescendant`, so focus stays in the input.
 */
import { el } from './dom';

/** One choice of the list. */
export interface CompletionOption {
  /** What the list shows in bold, for example `/model` or `@coder`. */
  label: string;
  description: string;
  /** The input's new text when this option is picked, for example `/model `. */
  insert: string;
}

let lists = 0;

export class CompletionList {
  /** The `role="listbox"` element; place it near the input. */
  readonly element: HTMLElement;
  private options: CompletionOption[] = [];
  private active = 0;
  private readonly prefix = `moco-completion-${++lists}`;

  /**
   * @param input the text box that owns the list (gets `aria-controls`, `aria-expanded`,
   *   `aria-activedescendant`).
   * @param onPick called when an option is clicked.
   */
  constructor(
    private readonly input: HTMLElement,
    private readonly onPick: (option: CompletionOption) => void,
  ) {
    this.element = el('div', 'completion');
    this.element.id = this.prefix;
    this.element.setAttribute('role', 'listbox');
    this.element.hidden = true;
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.prefix);
    input.setAttribute('aria-expanded', 'false');
    // mousedown, not click: the input keeps its focus.
    this.element.addEventListener('mousedown', (event) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('[role="option"]') : null;
      const option = row ? this.options[Number(row.dataset.index)] : undefined;
      if (!option) return;
      event.preventDefault();
      this.onPick(option);
    });
  }

  /** Whether the list is shown. */
  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Shows these options, the first one active; hides the list when there are none. */
  show(options: CompletionOption[], label: string): void {
    if (options.length === 0) {
      this.hide();
      return;
    }
    this.options = options;
    this.active = 0;
    this.element.setAttribute('aria-label', label);
    this.element.replaceChildren(
      ...options.map((option, index) => {
        const row = el('div', 'completion-option');
        row.id = `${this.prefix}-${index}`;
        row.setAttribute('role', 'option');
        row.dataset.index = String(index);
        row.append(el('span', 'completion-label', option.label), el('span', 'completion-description', option.description));
        return row;
      }),
    );
    this.element.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  /** Hides the list. */
  hide(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.options = [];
    this.element.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  /** Moves the active option by `delta` (wrapping around). */
  move(delta: number): void {
    if (!this.isOpen) return;
    const n = this.options.length;
    this.active = (((this.active + delta) % n) + n) % n;
    this.highlight();
  }

  /** The active option, when the list is open. */
  current(): CompletionOption | undefined {
    return this.isOpen ? this.options[this.active] : undefined;
  }

  private highlight(): void {
    for (const row of Array.from(this.element.children)) {
      const selected = row.id === `${this.prefix}-${this.active}`;
      row.setAttribute('aria-selected', String(selected));
      row.classList.toggle('active', selected);
      if (selected && typeof (row as HTMLElement).scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
    }
    this.input.setAttribute('aria-activedescendant', `${this.prefix}-${this.active}`);
  }
}
