/**
 * Long work's control (electron/core/jobs): progress, cancel, and the point of no return of a
 * writing task's one transaction. Here on the bottom floor so every domain's long loops can take it
 * without importing the jobs room.
 */
/** What a task running in a worker gets besides its store connection and arguments. */
export interface TaskControl {
  progress(phase: string, done: number, total: number | null): void;
  /** Throws when the job was cancelled; call it between slices of work. */
  check(): void;
  /**
   * The point of no return: call it as the last thing inside the write transaction. Throws
   * JobCancelled (so the transaction rolls back) if a cancel came first; after it, cancel is refused.
   */
  commit(): void;
}
