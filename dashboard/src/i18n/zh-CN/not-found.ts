import type { notFoundText } from "../en/not-found";
import type { TranslationOf } from "../index";

export default {
  "not-found": {
    title: "页面不存在",
    heading: "找不到页面",
    nothingHere: "这个地址下没有页面。",
    backToOverview: "返回概览",
  } satisfies TranslationOf<typeof notFoundText>,
};
