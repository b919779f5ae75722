// Streams an upload's body into R2 while hashing it, without ever holding the whole file: the bytes
// pass once through a transform that feeds a SHA-256 DigestStream and counts them, then through a
// FixedLengthStream of the declared size (R2 needs the length up front, and a body that ends early or
// runs long errors instead of storing a truncated or padded object).

/** The body did not carry the declared number of bytes. `received` is -1 when it carried more. */
export class LengthMismatch extends Error {
  constructor(
    readonly declared: number,
    readonly received: number,
  ) {
    super(`declared ${declared} bytes, received ${received === -1 ? "more" : received}`);
  }
}

export interface Streamed {
  /** Lower-case hex SHA-256 of the bytes R2 stored. */
  sha256: string;
  /** What R2 reports it stored (equals the declared length). */
  size: number;
}

const hex = (buffer: ArrayBuffer): string =>
  [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Puts `body` (exactly `length` bytes) at `key`. Throws LengthMismatch when the body is shorter or
 * longer; any other error is R2's (or the client went away mid-stream, which shows as a short body).
 */
export async function streamToBucket(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array> | null,
  length: number,
  options: R2PutOptions,
): Promise<Streamed> {
  const digest = new crypto.DigestStream("SHA-256");
  const digestWriter = digest.getWriter();
  let received = 0;
  let tooLong = false;
  const hashing = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > length) {
        tooLong = true;
        throw new LengthMismatch(length, -1);
      }
      // Awaiting the digest's write keeps backpressure: nothing piles up in memory.
      await digestWriter.write(chunk);
      controller.enqueue(chunk);
    },
    async flush() {
      await digestWriter.close();
    },
  });
  const fixed = new FixedLengthStream(length);
  const source = body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const [piped, put] = await Promise.allSettled([
    source.pipeThrough(hashing).pipeTo(fixed.writable),
    bucket.put(key, fixed.readable, options),
  ]);
  if (tooLong) throw new LengthMismatch(length, -1);
  if (received < length) throw new LengthMismatch(length, received);
  if (piped.status === "rejected") throw piped.reason;
  if (put.status === "rejected") throw put.reason;
  if (!put.value) throw new Error("R2 put stored nothing");
  return { sha256: hex(await digest.digest), size: put.value.size };
}
