// A free local port for a server about to start: the preferred one, or the next free one after it,
// so several servers (a dev session, a bench, a test suite) can run side by side.
import net from "node:net";

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export async function freePort(preferred: number): Promise<number> {
  for (let p = preferred; p < preferred + 50; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port in ${preferred}..${preferred + 49}`);
}
