/** Timers of the tree views: a throttle for event bursts and a one-second ticker for elapsed times. */

/**
 * Calls `run` at most once per `ms` milliseconds, at the end of the window (the last call's
 * state wins). `flush` runs a pending call now; `dispose` drops it.
 */
export class Throttle {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly run: () => void,
  ) {}

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.ms);
  }

  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.run();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Runs `tick` every second while `active()` says so; {@link update} starts or stops it. */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly active: () => boolean,
    private readonly tick: () => void,
    private readonly ms = 1000,
  ) {}

  /** Starts the ticks when `active()` became true, stops them when it became false. */
  update(): void {
    const active = this.active();
    if (active && this.timer === undefined) {
      this.timer = setInterval(() => {
        this.tick();
        if (!this.active()) this.stop();
      }, this.ms);
    } else if (!active) this.stop();
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
