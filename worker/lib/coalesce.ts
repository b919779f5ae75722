/**
 * Per isolate, what many requests hand over leaves together: the first item of a quiet spell goes
 * out right after its response, items that arrive while a send is due join it, and sends are at
 * least `gapMs` apart. A batch is sent from the `waitUntil` of the request that opened it (with that
 * request's `send`), so it never delays a response. Items of a batch whose timer never fired (its
 * request context went away) move into the next batch after `gapMs + STALE_GRACE_MS`; should the
 * old timer fire after all, it finds its batch empty and sends nothing twice.
 */
const STALE_GRACE_MS = 2000;

export class Coalescer<T> {
  #open: { items: T[]; since: number } | null = null;
  #lastSend = 0;

  constructor(
    private readonly gapMs: number,
    /** Items per send at most: a full batch is closed and the next item opens another. */
    private readonly maxItems = Number.POSITIVE_INFINITY,
  ) {}

  add(items: readonly T[], waitUntil: (p: Promise<unknown>) => void, send: (batch: T[]) => Promise<void>): void {
    if (items.length === 0) return;
    const now = Date.now();
    const open = this.#open;
    const stale = open !== null && now - open.since >= this.gapMs + STALE_GRACE_MS;
    if (open && !stale && open.items.length + items.length <= this.maxItems) {
      open.items.push(...items);
      return;
    }
    const batch = { items: stale ? open.items.splice(0).concat(items) : [...items], since: now };
    this.#open = batch;
    const wait = Math.max(0, this.#lastSend + this.gapMs - now);
    waitUntil(
      (async () => {
        // Always through a timer, even at 0 ms: the send starts after the response is complete, so
        // its cost never shows in that response's x-d1-*/x-subrequests headers (app.ts).
        await new Promise((resolve) => setTimeout(resolve, wait));
        // From here on, new items open the next batch.
        if (this.#open === batch) this.#open = null;
        this.#lastSend = Date.now();
        if (batch.items.length > 0) await send(batch.items);
      })(),
    );
  }
}
