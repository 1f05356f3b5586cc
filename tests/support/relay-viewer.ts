/** What the relay tests watch a stream with: every init, fragment (with its arrival time) and state. */
import type { StreamState } from '@shared';
import type { Fmp4Fragment, Fmp4Init } from '../../electron/core/cameras/relay/fmp4';
import type { RelayViewer } from '../../electron/core/cameras/relay/relay';

export class RecordingViewer implements RelayViewer {
  inits: Fmp4Init[] = [];
  fragments: Array<Fmp4Fragment & { at: number }> = [];
  states: StreamState[] = [];
  init(init: Fmp4Init) {
    this.inits.push(init);
  }
  fragment(fragment: Fmp4Fragment) {
    this.fragments.push({ ...fragment, at: Date.now() });
  }
  state(state: StreamState) {
    this.states.push(state);
  }
}

/** Polls `check` every 50 ms until it holds; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
