// The preview of a deliverable file, safely: the bytes are fetched with the admin's token and shown
// only as what the dashboard itself decides they are. A raster image (PNG, JPEG, GIF, WebP; never
// SVG, which can carry script) is re-wrapped in a Blob of that exact type and shown in an <img> from
// an object URL (revoked on close); a text file is decoded as UTF-8 and shown as text in a <pre>
// (Preact escapes it; Markdown is never rendered as HTML). Anything else has no preview.
import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import type { SubTaskFile } from "../../../../contract/api/files";
import { formatBytes } from "../../../../contract/byte-size";
import { Loading, Notice } from "../../components/states";
import { filePreview } from "../../i18n/en/files";
import { apiBlob, errorMessage } from "../../lib/api";
import { Dialog } from "./ui";

/** The only images previewed: raster formats a browser decodes without running anything. */
const IMAGE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** Text previewed as text, whatever it claims to be (Markdown and JSON included). */
const TEXT_TYPES: ReadonlySet<string> = new Set(["text/plain", "text/markdown", "text/csv", "application/json"]);
/** A larger image is not fetched just to look at it (download it instead). */
export const MAX_IMAGE_PREVIEW_BYTES = 10 * 1024 * 1024;
/** A text preview shows at most this much, fetched with a Range request. */
export const TEXT_PREVIEW_BYTES = 256 * 1024;

export type PreviewKind = "image" | "text";

/** `text/plain; charset=utf-8` → `text/plain`. */
const essence = (contentType: string): string => contentType.split(";", 1)[0]!.trim().toLowerCase();

/** How a file may be previewed, or null: download only. */
export function previewKind(file: Pick<SubTaskFile, "content_type" | "size">): PreviewKind | null {
  const type = essence(file.content_type);
  if (IMAGE_TYPES.has(type) && file.size <= MAX_IMAGE_PREVIEW_BYTES) return "image";
  if (TEXT_TYPES.has(type)) return "text";
  return null;
}

/** Where a file's bytes are read: built from its ids, not taken from the answer. */
export const contentUrl = (file: Pick<SubTaskFile, "sub_task_id" | "id">): string =>
  `/api/sub-tasks/${encodeURIComponent(file.sub_task_id)}/files/${encodeURIComponent(file.id)}/content`;

type Shown =
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "image"; url: string }
  | { kind: "text"; text: string; cut: boolean };

/** Fetches the file's bytes and turns them into what the preview shows. */
async function load(file: SubTaskFile, kind: PreviewKind, signal: AbortSignal): Promise<Shown> {
  if (kind === "image") {
    const { blob } = await apiBlob(contentUrl(file), { signal });
    // The type is the allow-listed one, whatever the answer said: never image/svg+xml or text/html.
    const image = new Blob([await blob.arrayBuffer()], { type: essence(file.content_type) });
    return { kind: "image", url: URL.createObjectURL(image) };
  }
  const large = file.size > TEXT_PREVIEW_BYTES;
  const range = large ? { Range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` } : undefined;
  const { blob } = await apiBlob(contentUrl(file), { signal, ...(range ? { headers: range } : {}) });
  // A server that ignored the Range still gets cut here.
  const bytes = new Uint8Array(await blob.arrayBuffer()).subarray(0, TEXT_PREVIEW_BYTES);
  // `stream` when cut: a character split by the cut is dropped instead of shown as U+FFFD.
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes, { stream: large });
  return { kind: "text", text, cut: large };
}

export function FilePreview({ file, kind, onClose }: { file: SubTaskFile; kind: PreviewKind; onClose: () => void }) {
  const t = useStore(filePreview);
  const [shown, setShown] = useState<Shown>({ kind: "loading" });
  const [broken, setBroken] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let url: string | undefined;
    load(file, kind, controller.signal).then(
      (next) => {
        if (next.kind === "image") url = next.url;
        if (controller.signal.aborted) {
          if (url) URL.revokeObjectURL(url);
          return;
        }
        setShown(next);
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setShown({ kind: "error", message: errorMessage(err) });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id, kind]);

  return (
    <Dialog title={t.title({ name: file.name })} onClose={onClose} wide>
      <div class="file-preview" data-testid="file-preview" data-kind={kind}>
        {shown.kind === "loading" ? <Loading inline label={t.loading} /> : null}
        {shown.kind === "error" ? <Notice kind="error">{shown.message}</Notice> : null}
        {shown.kind === "image" && !broken ? (
          <img src={shown.url} alt={t.imageAlt({ name: file.name })} onError={() => setBroken(true)} />
        ) : null}
        {shown.kind === "image" && broken ? <p class="muted">{t.notDecodable}</p> : null}
        {shown.kind === "text" ? (
          <>
            {shown.cut ? (
              <p class="muted">
                {t.firstPart({ size: formatBytes(TEXT_PREVIEW_BYTES), total: formatBytes(file.size) })}
              </p>
            ) : null}
            {shown.text === "" ? (
              <p class="muted">{t.empty}</p>
            ) : (
              <pre class="pre" data-i18n-skip>
                {shown.text}
              </pre>
            )}
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
