// Agent names as people and agents see them. Two names that look alike must not both exist, so
// uniqueness is decided on a key: the name NFKC-normalized (full-width and stylised letters become
// plain ones) and case-folded (upper-casing first folds ß to ss and final sigma to sigma).
export const nameKey = (name: string): string => name.normalize("NFKC").toUpperCase().toLowerCase();
