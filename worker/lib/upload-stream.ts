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
 * longer (a client that goes away mid-stream shows as a short body); any other error is R2's. One
 * loop moves every chunk, so each failure surfaces here, not as a stray rejection of a pipe.
 */
export async function streamToBucket(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array> | null,
  length: number,
  options: R2PutOptions,
): Promise<Streamed> {
  const digest = new crypto.DigestStream("SHA-256");
  const hashing = digest.getWriter();
  const fixed = new FixedLengthStream(length);
  const toBucket = fixed.writable.getWriter();
  const put = bucket.put(key, fixed.readable, options);
  // Awaited below on success; on failure the abort makes it reject, and that is not news.
  put.catch(() => {});
  digest.digest.catch(() => {});
  let received = 0;
  try {
    const reader = body?.getReader();
    for (;;) {
      if (!reader) break;
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw new LengthMismatch(length, received);
      }
      if (chunk.done) break;
      received += chunk.value.byteLength;
      if (received > length) {
        await reader.cancel().catch(() => {});
        throw new LengthMismatch(length, -1);
      }
      // Awaiting both writes keeps backpressure: R2 reads as fast as it stores, nothing piles up.
      await Promise.all([hashing.write(chunk.value), toBucket.write(chunk.value)]);
    }
    if (received < length) throw new LengthMismatch(length, received);
    await hashing.close();
    await toBucket.close();
  } catch (err) {
    await toBucket.abort(err).catch(() => {});
    throw err;
  }
  const stored = await put;
  if (!stored) throw new Error("R2 put stored nothing");
  return { sha256: hex(await digest.digest), size: stored.size };
}
