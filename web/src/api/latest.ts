// "Newest response wins": a panel that reloads on every input (another source, target type,
// slider value) must not let a slow older answer overwrite the one asked for last.

/** How a run ended: its value or its error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface Latest {
  /**
   * Runs `work` and resolves with its outcome, or with null when a newer `run` (or `drop`)
   * started meanwhile: the caller then leaves its state alone. Never rejects.
   */
  run<T>(work: () => Promise<T>): Promise<Outcome<T> | null>;
  /** Makes every run still in flight stale (e.g. the input was cleared). */
  drop(): void;
}

/** A guard for one kind of load: only the most recently started run delivers its outcome. */
export function latest(): Latest {
  let newest = 0;
  return {
    async run<T>(work: () => Promise<T>): Promise<Outcome<T> | null> {
      const mine = ++newest;
      let outcome: Outcome<T>;
      try {
        outcome = { ok: true, value: await work() };
      } catch (error) {
        outcome = { ok: false, error };
      }
      return mine === newest ? outcome : null;
    },
    drop(): void {
      newest++;
    },
  };
}
