// The 404 page's texts.
import { i18n } from "../index";

export const notFoundText = i18n("not-found", {
  title: "Not found",
  heading: "Page not found",
  nothingHere: "There is no page at this address.",
  backToOverview: "Back to the overview",
});
