// Prompts & Rules: the agent prompts tab lives here; the composed prompts, the prompt editor, the role
// templates and the rules are in pages/parts/prompt-*.tsx.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { roleLabels } from "../i18n/en/enums";
import { promptsText } from "../i18n/en/prompts";
import { Rich } from "../i18n/rich";
import { api } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import { ComposePreview } from "./parts/prompt-compose";
import { PromptEditor } from "./parts/prompt-editor";
import { Rules } from "./parts/prompt-rules";
import { Templates } from "./parts/prompt-templates";
import type { AgentPrompt, AgentPromptMeta } from "./parts/types";
import { ConfirmDialog, Tabs, View } from "./parts/ui";

/** The tabs, named by their key in the page's texts. */
const TABS = [
  { id: "agents", key: "tabAgents" },
  { id: "templates", key: "tabTemplates" },
  { id: "rules", key: "tabRules" },
] as const;

type Query = { tab: string; slug: string; role: string };

export default function PromptsPage() {
  const t = useStore(promptsText);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ tab: "agents", slug: "", role: "" });
  const tab = TABS.some((x) => x.id === q.tab) ? q.tab : "agents";
  return (
    <>
      <PageHeader title={t.title}>{t.intro}</PageHeader>
      <Tabs
        label={t.tabs}
        tabs={TABS.map((x) => ({ id: x.id, label: t[x.key] }))}
        current={tab}
        onSelect={(id) => setQuery({ tab: id, slug: "", role: "" })}
      />
      {tab === "agents" ? (
        <AgentPrompts q={q} setQuery={setQuery} />
      ) : tab === "templates" ? (
        <Templates role={q.role} onRole={(role) => setQuery({ role })} />
      ) : (
        <Rules />
      )}
    </>
  );
}

interface TabProps {
  q: Query;
  setQuery: (patch: Partial<Query>) => void;
}

// ------------------------------------------------------------------ agent prompts

function AgentPrompts({ q, setQuery }: TabProps) {
  const t = useStore(promptsText);
  const roles = useStore(roleLabels);
  const list = useApi<AgentPromptMeta[]>("/api/admin/prompts/agents");
  const [mode, setMode] = useState<"view" | "edit" | "new">("view");
  const select = (slug: string) => {
    setMode("view");
    setQuery({ slug });
  };
  return (
    <div class="grid-side">
      <section aria-labelledby="prompt-list-title">
        <div class="card-head">
          <h2 id="prompt-list-title" class="h3">
            {t.tabAgents}
          </h2>
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => {
              setMode("new");
              setQuery({ slug: "" });
            }}
          >
            {t.newPrompt}
          </button>
        </div>
        <View res={list} label={t.listLabel} isEmpty={(d) => d.length === 0} empty={<p class="muted">{t.noPrompts}</p>}>
          {(items) => (
            <ul class="list-buttons">
              {items.map((p) => (
                <li key={p.slug}>
                  <button type="button" class="btn" aria-pressed={q.slug === p.slug} onClick={() => select(p.slug)}>
                    <span>
                      <span data-i18n-skip>{p.name}</span>
                      <span class="cell-sub">
                        {labelOf(roles, p.role)} · <span data-i18n-skip>{p.slug}</span>
                        {p.example ? ` · ${t.example}` : ""}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </View>
      </section>
      <div>
        {mode === "new" ? (
          <PromptEditor
            onCancel={() => setMode("view")}
            onSaved={(slug) => {
              list.reload();
              select(slug);
            }}
          />
        ) : q.slug ? (
          <PromptView
            key={q.slug}
            slug={q.slug}
            editing={mode === "edit"}
            onEdit={(on) => setMode(on ? "edit" : "view")}
            onSaved={(slug) => {
              list.reload();
              select(slug);
            }}
            onDeleted={() => {
              list.reload();
              setQuery({ slug: "" });
            }}
          />
        ) : (
          <Empty title={t.pick}>
            <p>{t.pickHelp}</p>
          </Empty>
        )}
      </div>
    </div>
  );
}

function PromptView({
  slug,
  editing,
  onEdit,
  onSaved,
  onDeleted,
}: {
  slug: string;
  editing: boolean;
  onEdit: (on: boolean) => void;
  onSaved: (slug: string) => void;
  onDeleted: () => void;
}) {
  const t = useStore(promptsText);
  const roles = useStore(roleLabels);
  const prompt = useApi<AgentPrompt>(`/api/admin/prompts/agents/${encodeURIComponent(slug)}`);
  const [deleting, setDeleting] = useState(false);
  return (
    <View res={prompt} label={t.promptLabel}>
      {(p) =>
        editing ? (
          <PromptEditor
            initial={p}
            onCancel={() => onEdit(false)}
            onSaved={(s) => {
              prompt.reload();
              onSaved(s);
            }}
          />
        ) : (
          <div class="stack">
            <section class="card" aria-labelledby="prompt-title">
              <div class="card-head">
                <h2 id="prompt-title" data-i18n-skip>
                  {p.name}
                </h2>
                <div class="actions">
                  <button type="button" class="btn" onClick={() => onEdit(true)}>
                    {t.edit}
                  </button>
                  <button type="button" class="btn btn-danger" onClick={() => setDeleting(true)}>
                    {t.delete}
                  </button>
                </div>
              </div>
              <p class="muted">
                {labelOf(roles, p.role)} · <code class="mono">{p.filename}</code> ·{" "}
                <Rich text={t.updated} parts={{ time: <RelTime value={p.updated_at} /> }} />
                {p.example ? ` · ${t.example}` : ""}
              </p>
              {p.status === "rename_suggested" ? (
                <p class="banner">{t.renameSuggested({ prefix: `${p.role}-` })}</p>
              ) : null}
              {p.description ? <p data-i18n-skip>{p.description}</p> : null}
              <details>
                <summary>{t.ownPrompt}</summary>
                <pre class="pre">{p.content}</pre>
              </details>
            </section>
            <ComposePreview slug={p.slug} />
            {deleting ? (
              <ConfirmDialog
                title={t.deleteTitle}
                action={t.deleteAction}
                danger
                onClose={() => setDeleting(false)}
                onConfirm={async () => {
                  await api(`/api/admin/prompts/agents/${encodeURIComponent(p.slug)}`, { method: "DELETE" });
                  onDeleted();
                }}
              >
                <p>{t.deleteText({ name: p.name, slug: p.slug })}</p>
              </ConfirmDialog>
            ) : null}
          </div>
        )
      }
    </View>
  );
}
