/**
 * Subscribes to one camera's ONVIF events (PullPoint) and reports every alarm event. Renews the
 * subscription before it lapses, and after any failure reconnects with the relay's backoff.
 */
import { reconnectDelay } from '@shared';
import type { CameraAddress, CameraDriver, CameraEvent } from './driver';

/** Renew well before the 2-minute termination time the subscription is created with. */
const RENEW_EVERY_MS = 60_000;

export class AlarmWatcher {
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly driver: CameraDriver,
    private readonly address: () => CameraAddress,
    private readonly onEvent: (event: CameraEvent) => void,
    /** The subscription is up (true) or the camera stopped answering (false). */
    private readonly onStatus: (online: boolean) => void = () => {},
    private readonly log: (message: string) => void = () => {},
  ) {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        const connection = await this.driver.connect(this.address());
        if (this.stopped) return;
        const pullPoint = await connection.createPullPoint();
        attempt = 0;
        this.onStatus(true);
        let renewAt = Date.now() + RENEW_EVERY_MS;
        try {
          while (!this.stopped) {
            const events = await pullPoint.pull();
            if (this.stopped) break;
            for (const event of events) this.onEvent(event);
            if (Date.now() >= renewAt) {
              await pullPoint.renew();
              renewAt = Date.now() + RENEW_EVERY_MS;
            }
          }
        } finally {
          await pullPoint.unsubscribe().catch(() => {});
        }
      } catch (error) {
        if (this.stopped) return;
        this.onStatus(false);
        attempt += 1;
        this.log(`events: ${error instanceof Error ? error.message : String(error)}; retry ${attempt}`);
        await this.sleep(reconnectDelay(attempt));
      }
    }
  }
}
