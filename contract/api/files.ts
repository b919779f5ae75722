// Response shapes of deliverable files (docs/files.md): POST/GET /api/sub-tasks/{id}/files and
// GET/DELETE /api/sub-tasks/{id}/files/{file_id}; the bytes come from …/files/{file_id}/content.
import { z } from "@hono/zod-openapi";

const int = z.number().int();

export const SubTaskFileSchema = z
  .object({
    id: z.string(),
    sub_task_id: z.string(),
    task_id: z.string(),
    version: int.openapi({
      description: "The sub-task's rework count when uploaded: 0 for the first submission, 1 after the first rework…",
    }),
    name: z.string().openapi({ description: "Sanitized: one path segment of visible characters" }),
    content_type: z
      .string()
      .openapi({ description: "As sent when it is on the allow-list, else application/octet-stream" }),
    size: int.openapi({ description: "Bytes" }),
    sha256: z.string().openapi({ description: "Lower-case hex SHA-256 of the bytes, computed by the server" }),
    uploaded_by: z.string().openapi({ description: "The executor's agent id" }),
    uploaded_by_name: z.string(),
    created_at: z.string(),
    frozen: z
      .boolean()
      .openapi({ description: "true once its version was submitted: it can no longer be replaced or deleted" }),
    download_path: z.string().openapi({ description: "GET it (with your key) for the bytes, as an attachment" }),
  })
  .openapi("SubTaskFile");
export type SubTaskFile = z.infer<typeof SubTaskFileSchema>;

export const SubTaskFileListSchema = z
  .object({
    sub_task_id: z.string(),
    current_version: int.openapi({ description: "The version an upload now would go to" }),
    files: z.array(SubTaskFileSchema).openapi({ description: "Newest version first, then by name" }),
    limits: z.object({ max_file_bytes: int, max_files_per_version: int }),
  })
  .openapi("SubTaskFileList");
export type SubTaskFileList = z.infer<typeof SubTaskFileListSchema>;
