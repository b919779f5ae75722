// The shell's texts: the frame, navigation, shared states and the live badge. They ship in the shell
// chunk (every page needs them); each page's own texts sit in its area's file.
import { params } from "@nanostores/i18n";
import { i18n } from "../index";

export const shell = i18n("shell", {
  skipToContent: "Skip to content",
  openNavigation: "Open navigation",
  closeNavigation: "Close navigation",
  mainNavigation: "Main",
  logOut: "Log out",
  /** The header's search box (Enter opens the search page). */
  searchMemory: "Search the team memory",
  searchPlaceholder: "Search…",
  adminLogIn: "Admin log in",
  language: "Language",
  /** `{link}` is the "Set it in Settings" link. */
  noExternalUrl: "The service access URL is not set: agents need it to download their tools and register. {link}.",
  setItInSettings: "Set it in Settings",
  pageTitle: params("{page} · OpenMOSS Edge"),
  pageLoadFailed: "This page could not be loaded",
  loading: "Loading…",
  somethingWentWrong: "Something went wrong",
  tryAgain: "Try again",
  never: "never",
  copy: "Copy",
  copied: "Copied",
  copyFailed: "Copy failed",
  cannotReachServer: "Cannot reach the server. Check your connection and try again.",
  requestFailed: params("Request failed (HTTP {status})"),
  liveOn: "Live",
  liveOnTitle: "Updates are pushed as they happen",
  liveConnecting: "Connecting…",
  liveConnectingTitle: "Opening the live connection",
  liveOffline: params("Offline: refreshing every {every}"),
  liveOfflineTitle: "The live connection dropped; reconnecting in the background",
  everyMinutes: params("{n} min"),
  everySeconds: params("{n} s"),
});

export const nav = i18n("shell/nav", {
  overview: "Overview",
  tasks: "Tasks",
  agents: "Agents",
  scores: "Scores",
  reviews: "Reviews",
  logs: "Logs",
  feed: "Feed",
  patrol: "Patrol",
  retrospectives: "Retrospectives",
  search: "Search",
  prompts: "Prompts & Rules",
  settings: "Settings",
});
