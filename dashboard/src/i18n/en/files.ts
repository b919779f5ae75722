// Deliverable files: the card on the sub-task page with its preview (pages/parts/files-card.tsx,
// file-preview.tsx) and the Files section of the settings (pages/parts/settings-files.tsx).
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const filesCard = i18n("files/card", {
  title: "Files",
  loading: "Loading the files…",
  none: "No files yet. The executor attaches them while working on the sub-task.",
  version: params("Version {n}"),
  currentVersion: "current",
  frozen: "frozen",
  fileCount: count({ one: "{count} file", other: "{count} files" }),
  name: "Name",
  size: "Size",
  type: "Type",
  uploadedBy: "Uploaded by",
  uploaded: "Uploaded",
  sha256: "SHA-256",
  actions: "Actions",
  copySha: "Copy",
  copyShaOf: params("Copy the SHA-256 of {name}"),
  download: "Download",
  downloadOf: params("Download {name}"),
  downloading: "Downloading…",
  preview: "Preview",
  previewOf: params("Preview {name}"),
  deletedAgent: "deleted agent",
  limits: params("Up to {size} per file and {files} files per version."),
});

export const filePreview = i18n("files/preview", {
  title: params("Preview: {name}"),
  loading: "Loading the preview…",
  firstPart: params("Showing the first {size} of {total}. Download the file for all of it."),
  imageAlt: params("Image file {name}"),
  empty: "The file is empty.",
  notDecodable: "This browser cannot show the image. Download the file to open it.",
});

export const filesSettings = i18n("files/settings", {
  title: "Files",
  intro:
    "Limits on the files executors attach to sub-tasks. Files stay until their task is deleted; a rework adds a new version.",
  maxFile: "Largest file (MiB)",
  maxFileHint: "An upload above this is refused with a message that names the limit.",
  maxFiles: "Files per version",
  maxFilesHint: "How many files one sub-task may hold in one version (a rework starts the next version).",
  maxTotal: "All files together (GiB)",
  maxTotalHint: "The total of every stored file. Uploads are refused once it is reached.",
  invalidNumber: params("{field} must be a number from {min} to {max}."),
});
