import type { ComponentChildren } from "preact";
import { Fragment } from "preact";

/**
 * A sentence whose words surround markup: `{name}` in the message marks where `parts[name]` goes, so
 * each language puts the link or the time where its word order wants it instead of gluing English
 * fragments around elements. Placeholders without a part stay as written.
 */
export function Rich({ text, parts }: { text: string; parts: Record<string, ComponentChildren> }) {
  const pieces = text.split(/\{(\w+)\}/);
  return (
    <>
      {pieces.map((piece, i) =>
        // Odd indexes are the names captured between braces.
        i % 2 === 1 ? <Fragment key={i}>{piece in parts ? parts[piece] : `{${piece}}`}</Fragment> : piece,
      )}
    </>
  );
}
