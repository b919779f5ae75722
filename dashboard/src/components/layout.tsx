import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { nav, shell } from "../i18n/en/shell";
import { Rich } from "../i18n/rich";
import { api, setToken } from "../lib/api";
import { isCurrent, NAV } from "../lib/nav";
import { knownSetupStatus } from "../lib/setup-status";
import { LanguageSwitch } from "./language-switch";

/** The frame of every admin page: header, navigation (a drawer on narrow screens) and main area. */
export function Layout({ children, loading }: { children: ComponentChildren; loading: boolean }) {
  const { path, route } = useLocation();
  const [open, setOpen] = useState(false);
  const t = useStore(shell);
  const labels = useStore(nav);

  // A navigation closes the drawer.
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const logout = async () => {
    try {
      await api("/api/admin/logout", { method: "POST" });
    } catch {
      // the session may already be gone; logging out locally is what matters
    }
    setToken(null);
    route("/login");
  };

  const status = knownSetupStatus();
  return (
    <div class={open ? "app nav-open" : "app"}>
      <a class="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header class="topbar">
        <button
          type="button"
          class="btn btn-icon menu-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          aria-label={open ? t.closeNavigation : t.openNavigation}
          onClick={() => setOpen(!open)}
        >
          <span class="burger" aria-hidden="true" />
        </button>
        <a class="brand" href="/overview">
          <span class="brand-mark" aria-hidden="true">
            M
          </span>
          <span class="brand-name">OpenMOSS Edge</span>
        </a>
        <span class="topbar-spacer" />
        <HeaderSearch />
        <LanguageSwitch />
        <button type="button" class="btn btn-ghost" onClick={logout}>
          {t.logOut}
        </button>
      </header>
      <nav id="main-nav" class="sidenav" aria-label={t.mainNavigation}>
        <ul>
          {NAV.map((item) => {
            const current = isCurrent(item, path);
            return (
              <li key={item.path}>
                <a href={item.path} aria-current={current ? "page" : undefined}>
                  {labels[item.label]}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <div class="nav-scrim" aria-hidden="true" onClick={() => setOpen(false)} />
      <main id="main" class="content" tabIndex={-1} aria-busy={loading}>
        {loading ? <div class="route-progress" aria-hidden="true" /> : null}
        {status?.initialized && !status.has_external_url && path !== "/settings" ? (
          <p class="banner">
            <Rich text={t.noExternalUrl} parts={{ link: <a href="/settings#project">{t.setItInSettings}</a> }} />
          </p>
        ) : null}
        {children}
      </main>
    </div>
  );
}

/** The header's search box: Enter opens the search page with the words (/search?q=…). */
function HeaderSearch() {
  const { route } = useLocation();
  const t = useStore(shell);
  return (
    // biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers we support; role=search is its equivalent.
    <form
      class="topbar-search"
      role="search"
      aria-label={t.searchMemory}
      onSubmit={(e) => {
        e.preventDefault();
        const words = (new FormData(e.currentTarget).get("q") ?? "").toString().trim();
        if (words !== "") route(`/search?q=${encodeURIComponent(words)}`);
      }}
    >
      <input type="search" name="q" maxLength={200} aria-label={t.searchMemory} placeholder={t.searchPlaceholder} />
    </form>
  );
}

/** The frame of a public page seen without a session: the brand and a way to log in, no admin navigation. */
export function PublicFrame({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const t = useStore(shell);
  return (
    <div class="public-frame">
      <header class="topbar">
        <span class="brand">
          <span class="brand-mark" aria-hidden="true">
            M
          </span>
          <span class="brand-name">OpenMOSS Edge</span>
        </span>
        <span class="topbar-spacer" />
        <LanguageSwitch />
        <a class="btn btn-ghost" href={`/login?next=${encodeURIComponent(path)}`}>
          {t.adminLogIn}
        </a>
      </header>
      <main id="main" class="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** The page heading row: title, an optional line below it and actions on the right. */
export function PageHeader({
  title,
  children,
  actions,
}: {
  title: string;
  children?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <div class="page-header">
      <div>
        <h1>{title}</h1>
        {children ? <p class="page-sub">{children}</p> : null}
      </div>
      {actions ? <div class="page-actions">{actions}</div> : null}
    </div>
  );
}
