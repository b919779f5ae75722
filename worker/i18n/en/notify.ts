// The notify texts, in English: the source the other languages are typed against.
export const notify = {};
