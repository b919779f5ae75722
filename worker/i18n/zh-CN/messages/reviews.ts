import type { Messages } from "../../catalogue";
import type { reviews as english } from "../../en/messages/reviews";

export const reviews: Pick<Messages, keyof typeof english> = {};
