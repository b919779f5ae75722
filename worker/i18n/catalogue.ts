// The shape of a catalogue: the English one's. A translation typed `Catalogue` that misses a key, adds
// one or takes other parameters fails the type check; scripts/check-i18n.ts checks the rest (its texts
// are not English left over, its placeholders match).
import type { en } from "./en";

export type Catalogue = typeof en;
export type Messages = Catalogue["messages"];
export type MessageKey = keyof Messages;
