import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { LocationProvider, lazy, Route, Router, useLocation } from "preact-iso";
import { Layout, PublicFrame } from "./components/layout";
import { ErrorState, Loading } from "./components/states";
import { shell } from "./i18n/en/shell";
import { getToken, setUnauthorizedHandler } from "./lib/api";
import { knownSetupStatus, loadSetupStatus, onSetupStatus } from "./lib/setup-status";
import type { SetupStatus } from "./lib/types";

/**
 * Each page is its own chunk, fetched on first visit. A chunk that fails to load (a deploy replaced
 * it, the network dropped) becomes an error state with a reload button instead of a blank page.
 */
function page(load: () => Promise<{ default: ComponentType }>) {
  return lazy(() =>
    load().catch((error: unknown) => ({
      default: () => <ErrorState title={shell.get().pageLoadFailed} error={error} onRetry={() => location.reload()} />,
    })),
  );
}

const Setup = page(() => import("./pages/setup"));
const Login = page(() => import("./pages/login"));
const Overview = page(() => import("./pages/overview"));
const Settings = page(() => import("./pages/settings"));
const Tasks = page(() => import("./pages/tasks"));
const TaskDetail = page(() => import("./pages/task-detail"));
const SubTaskDetail = page(() => import("./pages/sub-task-detail"));
const Agents = page(() => import("./pages/agents"));
const AgentDetail = page(() => import("./pages/agent-detail"));
const Scores = page(() => import("./pages/scores"));
const Reviews = page(() => import("./pages/reviews"));
const Logs = page(() => import("./pages/logs"));
const Feed = page(() => import("./pages/feed"));
const Patrol = page(() => import("./pages/patrol"));
const Retrospectives = page(() => import("./pages/retrospectives"));
const RetrospectiveDetail = page(() => import("./pages/retrospective-detail"));
const Prompts = page(() => import("./pages/prompts"));
const Search = page(() => import("./pages/search"));
const NotFound = page(() => import("./pages/not-found"));

const BARE = new Set(["/setup", "/login"]);
/** Pages a visitor without a session may open (the page itself decides what such a visitor sees). */
const PUBLIC = new Set(["/feed"]);

/** Where the current URL must go instead, or null to render it. */
function redirectFor(path: string, query: string, status: SetupStatus | null): string | null {
  // Without a status (the API is unreachable) we assume initialized, as upstream did; the pages
  // then show the API's errors.
  if (status && !status.initialized) return path === "/setup" ? null : "/setup";
  if (path === "/" || path === "") return "/overview";
  const token = getToken();
  if (!BARE.has(path) && !PUBLIC.has(path) && !token) return `/login?next=${encodeURIComponent(path + query)}`;
  if (path === "/login" && token) return "/overview";
  return null;
}

function Shell() {
  const loc = useLocation();
  const [status, setStatus] = useState<SetupStatus | null>(knownSetupStatus());
  const [ready, setReady] = useState(status !== null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = location.pathname + location.search;
      loc.route(here.startsWith("/login") ? "/login" : `/login?next=${encodeURIComponent(here)}`, true);
    });
    const off = onSetupStatus(setStatus);
    loadSetupStatus().then(
      (s) => {
        setStatus(s);
        setReady(true);
      },
      () => setReady(true),
    );
    return off;
  }, []);

  const search = loc.url.includes("?") ? loc.url.slice(loc.url.indexOf("?")) : "";
  const redirect = ready ? redirectFor(loc.path, search, status) : null;
  useEffect(() => {
    if (redirect) loc.route(redirect, true);
  }, [redirect]);

  if (!ready || redirect) return <Loading />;

  const routes = (
    <Router onLoadStart={() => setLoading(true)} onLoadEnd={() => setLoading(false)}>
      <Route path="/setup" component={Setup} />
      <Route path="/login" component={Login} />
      <Route path="/overview" component={Overview} />
      <Route path="/settings" component={Settings} />
      <Route path="/tasks" component={Tasks} />
      <Route path="/tasks/:id" component={TaskDetail} />
      <Route path="/sub-tasks/:id" component={SubTaskDetail} />
      <Route path="/agents" component={Agents} />
      <Route path="/agents/:id" component={AgentDetail} />
      <Route path="/scores" component={Scores} />
      <Route path="/reviews" component={Reviews} />
      <Route path="/logs" component={Logs} />
      <Route path="/feed" component={Feed} />
      <Route path="/patrol" component={Patrol} />
      <Route path="/retrospectives" component={Retrospectives} />
      <Route path="/retrospectives/:id" component={RetrospectiveDetail} />
      <Route path="/prompts" component={Prompts} />
      <Route path="/search" component={Search} />
      <Route default component={NotFound} />
    </Router>
  );
  if (BARE.has(loc.path)) return <div class="bare">{routes}</div>;
  if (PUBLIC.has(loc.path) && !getToken()) return <PublicFrame>{routes}</PublicFrame>;
  return <Layout loading={loading}>{routes}</Layout>;
}

export function App() {
  return (
    <LocationProvider>
      <Shell />
    </LocationProvider>
  );
}
