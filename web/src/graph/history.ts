// Undo/redo as a stack of changes (what one action added and removed), not of whole scenes, so a
// 10k-element scene does not copy itself on every click.

export interface Change<T> {
  label: string;
  added: T[];
  removed: T[];
}

/** A bounded undo/redo history of changes. */
export class History<T> {
  private done: Change<T>[] = [];
  private undone: Change<T>[] = [];

  constructor(private readonly limit = 50) {}

  /** Records an action; a new action clears the redo stack. Empty changes are not recorded. */
  push(change: Change<T>): void {
    if (!change.added.length && !change.removed.length) return;
    this.done.push(change);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The change to revert (apply inverted), or undefined when there is nothing to undo. */
  undo(): Change<T> | undefined {
    const c = this.done.pop();
    if (c) this.undone.push(c);
    return c;
  }

  /** The change to apply again, or undefined. */
  redo(): Change<T> | undefined {
    const c = this.undone.pop();
    if (c) this.done.push(c);
    return c;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
