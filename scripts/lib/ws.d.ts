// The part of the `ws` package (in node_modules through miniflare) that cpu-profile.ts uses; the
// package ships no types and @types/ws would be a dependency for these few lines.
declare module "ws" {
  export default class WebSocket {
    constructor(url: string, options: { headers: Record<string, string> });
    once(event: "open", listener: () => void): this;
    once(event: "error", listener: (err: Error) => void): this;
    on(event: "message", listener: (data: Buffer | string) => void): this;
    send(data: string): void;
    close(): void;
  }
}
