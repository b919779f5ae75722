// Agent names as people and agents see them. Two names that look alike must not both exist, so
// uniqueness is decided on a key: the name NFKC-normalized (full-width and stylised letters become
// plain ones) and case-folded (upper-casing first folds ß to ss and final sigma to sigma).

import { text } from "../i18n";
import { type ApiError, conflict } from "../lib/errors";
import { quote } from "./text-rules";

export const nameKey = (name: string): string => name.normalize("NFKC").toUpperCase().toLowerCase();

/** The 409 when `name`'s key is taken: by the same name, or one that differs only in case or width. */
export const nameTaken = (name: string): ApiError => conflict("name_taken", text("nameTaken", { name: quote(name) }));
