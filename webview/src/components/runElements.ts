/** What the transcript view keeps of a run's section. */
import type { RunView, Transcript } from '../state/model';

/** The DOM of one run (a root's `<section>` or a delegation's `<details>`). */
export interface RunElements {
  /** The outermost element, placed in the transcript or in its parent's section. */
  section: HTMLElement;
  /** Holds the run's item elements, in order. */
  items: HTMLElement;
  /** Shows the run's header, status and usage (not its items). */
  update(run: RunView, transcript: Transcript): void;
}
