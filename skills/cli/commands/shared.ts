// Flags and helpers several command groups share.
import type { FlagSpec } from "../args";
import type { Ctx } from "../context";

export const PAGE_FLAGS: readonly FlagSpec[] = [
  { name: "page", metavar: "N", int: true, min: 0, help: (m) => m.help.page },
  {
    name: "page-size",
    metavar: "N",
    int: true,
    min: 0,
    max: 100,
    help: (m) => m.help.pageSize,
  },
];

/** Upstream sent paging only when set and non-zero; the server's default is "everything". */
export const pageQuery = (c: Ctx) => ({ page: c.int("page") || undefined, page_size: c.int("page-size") || undefined });

/** A path segment from user input (ids are UUIDs, but never let a `/` or `?` change the endpoint). */
export const seg = (value: string) => encodeURIComponent(value);

/** Whether a switch (a flag without a value) is on the command line. */
export const given = (c: Ctx, name: string) => c.str(name) !== undefined;
