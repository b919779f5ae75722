// The trend chart's own texts (its series names come from the page that draws it).
import { params } from "@nanostores/i18n";
import { i18n } from "../index";

export const trendChart = i18n("trend-chart", {
  day: "Day",
  /** The hidden data table's caption for screen readers. */
  byDay: params("{title}, by day"),
});
