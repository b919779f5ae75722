import type { Messages } from "../../catalogue";
import type { setup as english } from "../../en/messages/setup";

export const setup: Pick<Messages, keyof typeof english> = {
  shippedTextsChanged: "切换语言期间有内置文本被修改，本次未写入任何内容",
  shippedTextsChangedHint: "重新预览一次（GET /api/admin/shipped-texts），确认当前内容后再切换。",
};
