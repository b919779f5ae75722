import type { trendChart } from "../en/trend-chart";
import type { TranslationOf } from "../index";

export default {
  "trend-chart": {
    day: "日期",
    byDay: "{title}（按天）",
  } satisfies TranslationOf<typeof trendChart>,
};
