// The deliverable files of a sub-task on its page: grouped by version (newest first), each with its
// size, type, uploader, time and SHA-256, a download and, for raster images and text, a preview
// (file-preview.tsx). A download fetches the bytes with the admin's token and saves them through an
// object URL typed application/octet-stream, so nothing of the file is ever opened on our origin.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import type { SubTaskFile, SubTaskFileList } from "../../../../contract/api/files";
import { formatBytes } from "../../../../contract/byte-size";
import { CopyButton } from "../../components/copy-button";
import { RelTime } from "../../components/rel-time";
import { Notice } from "../../components/states";
import { filesCard } from "../../i18n/en/files";
import { apiBlob, errorMessage } from "../../lib/api";
import { useApi } from "../../lib/hooks";
import { useLive } from "../../live";
import { contentUrl, FilePreview, type PreviewKind, previewKind } from "./file-preview";
import { View } from "./ui";
import "./files.css";

/** How many hex characters of a SHA-256 the table shows (the copy button copies all of it). */
const SHA_SHOWN = 12;

/** Saves a file's bytes under its name: an object URL of octet-stream bytes, clicked as a download link. */
async function saveFile(file: SubTaskFile): Promise<void> {
  const { blob } = await apiBlob(contentUrl(file));
  const url = URL.createObjectURL(new Blob([blob], { type: "application/octet-stream" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download at once; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Versions newest first, each with its files in the list's order (by name). */
function byVersion(files: readonly SubTaskFile[]): [number, SubTaskFile[]][] {
  const groups = new Map<number, SubTaskFile[]>();
  for (const file of files) groups.set(file.version, [...(groups.get(file.version) ?? []), file]);
  return [...groups.entries()].sort(([a], [b]) => b - a);
}

export function FilesCard({ subTaskId }: { subTaskId: string }) {
  const t = useStore(filesCard);
  const res = useApi<SubTaskFileList>(`/api/sub-tasks/${encodeURIComponent(subTaskId)}/files`);
  // Uploads come with the executor's work on the sub-task: follow its topic, less eagerly than the page.
  useLive(["sub_tasks"], res.reload, { pollMs: 30_000, minGapMs: 2000, enabled: res.data !== undefined });
  const [preview, setPreview] = useState<{ file: SubTaskFile; kind: PreviewKind } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = (file: SubTaskFile) => {
    setBusy(file.id);
    setError(null);
    saveFile(file).then(
      () => setBusy(null),
      (err: unknown) => {
        setBusy(null);
        setError(errorMessage(err));
      },
    );
  };

  return (
    <section class="card files-card" aria-labelledby="files-title" data-testid="files-card">
      <div class="card-head">
        <h2 class="h3" id="files-title">
          {t.title} {res.data?.files.length ? <span class="badge">{res.data.files.length}</span> : null}
        </h2>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <View res={res} loading={t.loading} isEmpty={(d) => d.files.length === 0} empty={<p class="muted">{t.none}</p>}>
        {(d) => (
          <>
            {byVersion(d.files).map(([version, files]) => (
              <div class="files-version" key={version} data-version={version}>
                <h3 class="files-version-head">
                  {t.version({ n: version })}{" "}
                  <span class="pill">{files.some((f) => !f.frozen) ? t.currentVersion : t.frozen}</span>{" "}
                  <span class="muted">{t.fileCount(files.length)}</span>
                </h3>
                <div class="table-card">
                  <table class="table">
                    <thead>
                      <tr>
                        <th scope="col">{t.name}</th>
                        <th scope="col">{t.size}</th>
                        <th scope="col">{t.type}</th>
                        <th scope="col">{t.uploadedBy}</th>
                        <th scope="col">{t.uploaded}</th>
                        <th scope="col">{t.sha256}</th>
                        <th scope="col">
                          <span class="sr-only">{t.actions}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {files.map((f) => (
                        <FileRow
                          key={f.id}
                          file={f}
                          busy={busy === f.id}
                          onDownload={() => download(f)}
                          onPreview={(kind) => setPreview({ file: f, kind })}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            ))}
            <p class="muted files-limits">
              {t.limits({ size: formatBytes(d.limits.max_file_bytes), files: d.limits.max_files_per_version })}
            </p>
          </>
        )}
      </View>
      {preview ? <FilePreview file={preview.file} kind={preview.kind} onClose={() => setPreview(null)} /> : null}
    </section>
  );
}

function FileRow({
  file: f,
  busy,
  onDownload,
  onPreview,
}: {
  file: SubTaskFile;
  busy: boolean;
  onDownload: () => void;
  onPreview: (kind: PreviewKind) => void;
}) {
  const t = useStore(filesCard);
  const kind = previewKind(f);
  return (
    <tr data-file-id={f.id} data-name={f.name}>
      <td data-label={t.name} class="name-cell" data-i18n-skip>
        {f.name}
      </td>
      <td data-label={t.size} class="num">
        {formatBytes(f.size)}
      </td>
      <td data-label={t.type}>
        <code class="mono" data-i18n-skip>
          {f.content_type}
        </code>
      </td>
      <td data-label={t.uploadedBy}>
        <a href={`/agents/${encodeURIComponent(f.uploaded_by)}`}>
          {f.uploaded_by_name ? <span data-i18n-skip>{f.uploaded_by_name}</span> : t.deletedAgent}
        </a>
      </td>
      <td data-label={t.uploaded}>
        <RelTime value={f.created_at} />
      </td>
      <td data-label={t.sha256}>
        <code class="mono" title={f.sha256} data-i18n-skip>
          {f.sha256.slice(0, SHA_SHOWN)}…
        </code>{" "}
        <CopyButton text={f.sha256} label={t.copySha} />
      </td>
      <td class="row-actions">
        {kind ? (
          <button type="button" class="btn" aria-label={t.previewOf({ name: f.name })} onClick={() => onPreview(kind)}>
            {t.preview}
          </button>
        ) : null}
        <button
          type="button"
          class="btn"
          disabled={busy}
          aria-label={t.downloadOf({ name: f.name })}
          onClick={onDownload}
        >
          {busy ? t.downloading : t.download}
        </button>
      </td>
    </tr>
  );
}
