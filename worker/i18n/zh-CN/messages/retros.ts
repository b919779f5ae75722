import type { Messages } from "../../catalogue";
import type { retros as english } from "../../en/messages/retros";

export const retros: Pick<Messages, keyof typeof english> = {};
