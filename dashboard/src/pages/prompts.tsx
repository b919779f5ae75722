import { useEffect, useState } from "preact/hooks";
import { CopyButton } from "../components/copy-button";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, Notice } from "../components/states";
import { api, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import {
  type AdminTask,
  type AgentPrompt,
  type AgentPromptMeta,
  type AgentPromptRef,
  type ComposedPrompt,
  type ComposedWithToken,
  isOneOf,
  type PromptTemplate,
  ROLES,
  type Rule,
} from "./parts/types";
import { ConfirmDialog, FormActions, Select, Tabs, useAction, View } from "./parts/ui";

const TABS = [
  { id: "agents", label: "Agent prompts" },
  { id: "templates", label: "Role templates" },
  { id: "rules", label: "Rules" },
] as const;

type Query = { tab: string; slug: string; role: string };

export default function PromptsPage() {
  useTitle("Prompts & Rules");
  const [q, setQuery] = useQueryState({ tab: "agents", slug: "", role: "" });
  const tab = TABS.some((t) => t.id === q.tab) ? q.tab : "agents";
  return (
    <>
      <PageHeader title="Prompts & Rules">
        What agents are told: a role template, each agent's own prompt on top, the one-time enrollment prompt, and the
        rules they fetch while working.
      </PageHeader>
      <Tabs
        label="Prompts and rules"
        tabs={TABS}
        current={tab}
        onSelect={(id) => setQuery({ tab: id, slug: "", role: "" })}
      />
      {tab === "agents" ? (
        <AgentPrompts q={q} setQuery={setQuery} />
      ) : tab === "templates" ? (
        <Templates q={q} setQuery={setQuery} />
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
            Agent prompts
          </h2>
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => {
              setMode("new");
              setQuery({ slug: "" });
            }}
          >
            New prompt
          </button>
        </div>
        <View
          res={list}
          label="agent prompts"
          isEmpty={(d) => d.length === 0}
          empty={<p class="muted">No agent prompts yet.</p>}
        >
          {(items) => (
            <ul class="list-buttons">
              {items.map((p) => (
                <li key={p.slug}>
                  <button type="button" class="btn" aria-pressed={q.slug === p.slug} onClick={() => select(p.slug)}>
                    <span>
                      {p.name}
                      <span class="cell-sub">
                        {humanize(p.role)} · {p.slug}
                        {p.example ? " · example" : ""}
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
          <Empty title="Pick a prompt, or create one.">
            <p>
              A new agent gets two texts: the standing prompt (role template, its own prompt and the platform section,
              variables filled in) as its permanent instructions, and a one-time enrollment prompt for its first run.
            </p>
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
  const prompt = useApi<AgentPrompt>(`/api/admin/prompts/agents/${encodeURIComponent(slug)}`);
  const [deleting, setDeleting] = useState(false);
  return (
    <View res={prompt} label="the prompt">
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
                <h2 id="prompt-title">{p.name}</h2>
                <div class="actions">
                  <button type="button" class="btn" onClick={() => onEdit(true)}>
                    Edit
                  </button>
                  <button type="button" class="btn btn-danger" onClick={() => setDeleting(true)}>
                    Delete
                  </button>
                </div>
              </div>
              <p class="muted">
                {humanize(p.role)} · <code class="mono">{p.filename}</code> · updated <RelTime value={p.updated_at} />
                {p.example ? " · example" : ""}
              </p>
              {p.status === "rename_suggested" ? (
                <p class="banner">This slug lacks its role prefix (“{p.role}-”); saving it with its role renames it.</p>
              ) : null}
              {p.description ? <p>{p.description}</p> : null}
              <details>
                <summary>Its own prompt (as stored)</summary>
                <pre class="pre">{p.content}</pre>
              </details>
            </section>
            <ComposePreview slug={p.slug} />
            {deleting ? (
              <ConfirmDialog
                title="Delete this prompt?"
                action="Delete prompt"
                danger
                onClose={() => setDeleting(false)}
                onConfirm={async () => {
                  await api(`/api/admin/prompts/agents/${encodeURIComponent(p.slug)}`, { method: "DELETE" });
                  onDeleted();
                }}
              >
                <p>
                  “{p.name}” ({p.slug}) is removed. Agents already set up with it keep their copy.
                </p>
              </ConfirmDialog>
            ) : null}
          </div>
        )
      }
    </View>
  );
}

function ComposePreview({ slug }: { slug: string }) {
  const composed = useApi<ComposedPrompt>(`/api/admin/prompts/compose/${encodeURIComponent(slug)}`);
  return (
    <section class="card" aria-labelledby="compose-title">
      <div class="card-head">
        <h2 id="compose-title" class="h3">
          Standing prompt
        </h2>
        {composed.data ? <CopyButton text={composed.data.standing_prompt} label="Copy the standing prompt" /> : null}
      </div>
      <p class="hint">
        The agent's permanent instructions (its system prompt): role template, this prompt and the platform section. It
        holds no secret.
      </p>
      <View res={composed} label="the composed prompt">
        {(c) => (
          <>
            {c.variables.length > 0 ? (
              <table class="table vars" aria-label="Variables">
                <thead>
                  <tr>
                    <th scope="col">Variable</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {c.variables.map((v) => (
                    <tr key={v.name}>
                      <td class="name-cell">
                        <code class="mono">{`{{${v.name}}}`}</code>
                      </td>
                      <td data-label="Value" class="wrap">
                        {v.value === null ? (
                          <span class="muted">left as written (no value)</span>
                        ) : (
                          <code class="mono">{v.value}</code>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">No variables in the template or prompt.</p>
            )}
            <pre class="pre section-gap-top" data-testid="composed-prompt">
              {c.standing_prompt}
            </pre>
            <EnrollmentPrompt key={slug} slug={slug} preview={c.enrollment_prompt} />
          </>
        )}
      </View>
    </section>
  );
}

/** The one-time enrollment prompt: a preview with a placeholder until the admin issues a single-use token. */
function EnrollmentPrompt({ slug, preview }: { slug: string; preview: string }) {
  const [issued, setIssued] = useState<ComposedWithToken | null>(null);
  const { busy, error, run } = useAction();
  const issue = () =>
    void run(async () =>
      setIssued(
        await api<ComposedWithToken>(`/api/admin/prompts/compose/${encodeURIComponent(slug)}`, { method: "POST" }),
      ),
    );
  const text = issued?.enrollment_prompt ?? preview;
  return (
    <section class="section-gap-top" aria-labelledby="enrollment-prompt-title">
      <div class="card-head">
        <h3 id="enrollment-prompt-title" class="h3">
          Enrollment prompt (one time)
        </h3>
        {issued ? (
          <CopyButton text={text} label="Copy the enrollment prompt" />
        ) : (
          <button type="button" class="btn btn-primary" onClick={issue} disabled={busy}>
            {busy ? "Issuing…" : "Issue a one-time token"}
          </button>
        )}
      </div>
      <p class="hint">
        {issued
          ? `Paste this once into the new agent's first run. Its token registers one agent of this role, once, until ${issued.enrollment_token.expires_at}.`
          : "Paste once into the new agent's first run: it registers, downloads the skill bundle and reads its first briefing. Issue a one-time token to fill it in."}
      </p>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <pre class="pre" data-testid="enrollment-prompt">
        {text}
      </pre>
    </section>
  );
}

function PromptEditor({
  initial,
  onCancel,
  onSaved,
}: {
  initial?: AgentPrompt;
  onCancel: () => void;
  onSaved: (slug: string) => void;
}) {
  const [f, setF] = useState({
    slug: initial?.slug ?? "",
    name: initial?.name ?? "",
    role: initial?.role ?? "executor",
    description: initial?.description ?? "",
    content: initial?.content ?? "",
    example: initial?.example ?? false,
  });
  const set =
    <K extends keyof typeof f>(k: K) =>
    (v: (typeof f)[K]) =>
      setF((x) => ({ ...x, [k]: v }));
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!f.name.trim()) throw new Error("Give the prompt a name.");
      if (!initial && !f.slug.trim()) throw new Error("Give the prompt a slug (letters, digits and dashes).");
      const body = {
        name: f.name.trim(),
        role: f.role,
        description: f.description,
        content: f.content,
        example: f.example,
      };
      const saved = initial
        ? await api<AgentPromptRef>(`/api/admin/prompts/agents/${encodeURIComponent(initial.slug)}`, {
            method: "PUT",
            body,
          })
        : await api<AgentPromptRef>("/api/admin/prompts/agents", {
            method: "POST",
            body: { ...body, slug: f.slug.trim() },
          });
      onSaved(saved.slug);
    });
  };
  return (
    <section class="card" aria-labelledby="editor-title">
      <h2 id="editor-title">{initial ? `Edit ${initial.name}` : "New agent prompt"}</h2>
      <form onSubmit={submit} noValidate>
        <div class="grid grid-2 tight">
          <Field label="Name">
            {(id) => (
              <input id={id} maxLength={200} value={f.name} onInput={(e) => set("name")(e.currentTarget.value)} />
            )}
          </Field>
          <Select label="Role" value={f.role} options={ROLES} all={null} onChange={set("role")} />
          {initial ? null : (
            <Field label="Slug" hint={`Stored as ${f.role}-${f.slug.replace(new RegExp(`^${f.role}-`), "") || "…"}`}>
              {(id, hint) => (
                <input
                  id={id}
                  aria-describedby={hint}
                  class="mono"
                  maxLength={80}
                  value={f.slug}
                  onInput={(e) => set("slug")(e.currentTarget.value)}
                />
              )}
            </Field>
          )}
          <Field label="Description">
            {(id) => (
              <input
                id={id}
                maxLength={2000}
                value={f.description}
                onInput={(e) => set("description")(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <Field
          label="Prompt"
          hint="The agent's specialization, added after its role template. {{project_name}} and {{workspace_root}} are filled in."
        >
          {(id, hint) => (
            <textarea
              id={id}
              aria-describedby={hint}
              class="editor"
              rows={16}
              value={f.content}
              onInput={(e) => set("content")(e.currentTarget.value)}
            />
          )}
        </Field>
        <label class="switch">
          <input type="checkbox" checked={f.example} onChange={(e) => set("example")(e.currentTarget.checked)} />
          <span>An example (a starting point, not a live agent)</span>
        </label>
        {initial && f.role !== initial.role ? (
          <p class="banner">Changing the role renames the prompt to “{f.role}-…”.</p>
        ) : null}
        <FormActions busy={busy} error={error} submit={initial ? "Save prompt" : "Create prompt"} onCancel={onCancel} />
      </form>
    </section>
  );
}

// ------------------------------------------------------------------ role templates

function Templates({ q, setQuery }: TabProps) {
  const templates = useApi<PromptTemplate[]>("/api/admin/prompts/templates");
  const role = isOneOf(ROLES, q.role) ? q.role : "planner";
  return (
    <div class="grid-side">
      <section aria-labelledby="roles-title">
        <h2 id="roles-title" class="h3">
          Roles
        </h2>
        <ul class="list-buttons">
          {ROLES.map((r) => {
            const t = templates.data?.find((x) => x.role === r);
            return (
              <li key={r}>
                <button type="button" class="btn" aria-pressed={role === r} onClick={() => setQuery({ role: r })}>
                  <span>
                    {humanize(r)}
                    <span class="cell-sub">{templates.data ? (t ? t.filename : "no template yet") : "…"}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <View res={templates} label="role templates">
        {(list) => (
          <TemplateEditor
            key={role}
            role={role}
            template={list.find((t) => t.role === role)}
            onSaved={templates.reload}
          />
        )}
      </View>
    </div>
  );
}

function TemplateEditor({
  role,
  template,
  onSaved,
}: {
  role: string;
  template: PromptTemplate | undefined;
  onSaved: () => void;
}) {
  const [content, setContent] = useState(template?.content ?? "");
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => setSaved(false), [content]);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error("A template cannot be blank.");
      await api(`/api/admin/prompts/templates/${role}`, { method: "PUT", body: { content } });
      onSaved();
      setSaved(true);
    });
  };
  return (
    <section class="card" aria-labelledby="template-title">
      <h2 id="template-title">{humanize(role)} template</h2>
      <p class="muted">
        The base every {role} prompt starts with.{" "}
        {template ? (
          <>
            Updated <RelTime value={template.updated_at} />.
          </>
        ) : (
          "None stored yet."
        )}
      </p>
      <form onSubmit={submit} noValidate>
        <Field
          label="Template"
          hint="Markdown. {{project_name}} and {{workspace_root}} are filled in when a prompt is composed."
        >
          {(id, hint) => (
            <textarea
              id={id}
              aria-describedby={hint}
              class="editor"
              rows={22}
              value={content}
              onInput={(e) => setContent(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit="Save template" />
        {saved ? <Notice kind="ok">Saved.</Notice> : null}
      </form>
    </section>
  );
}

// ------------------------------------------------------------------ rules

function Rules() {
  const rules = useApi<Rule[]>("/api/rules/list");
  const tasks = useApi<Page<AdminTask>>(
    withQuery("/api/admin/tasks", { page_size: 100, sort_by: "updated_at", sort_order: "desc" }),
  );
  const taskName = new Map((tasks.data?.items ?? []).map((t) => [t.id, t.name]));
  const [adding, setAdding] = useState(false);
  return (
    <View res={rules} label="rules">
      {(list) => {
        const global = list.find((r) => r.scope === "global");
        const others = list.filter((r) => r.scope !== "global");
        return (
          <div class="stack">
            <p class="muted">
              Agents fetch the merged rules (global, then their task's, then their sub-task's) with the variables filled
              in, and re-read them when they change.
            </p>
            <section class="card" aria-labelledby="global-rule-title">
              <h2 id="global-rule-title" class="h3">
                Global rule
              </h2>
              {global ? (
                <RuleEditor rule={global} onChanged={rules.reload} />
              ) : (
                <NewRule scope="global" tasks={[]} onCreated={rules.reload} />
              )}
            </section>
            <section class="card" aria-labelledby="scoped-rules-title">
              <div class="card-head">
                <h2 id="scoped-rules-title" class="h3">
                  Task and sub-task rules
                </h2>
                {!adding ? (
                  <button type="button" class="btn" onClick={() => setAdding(true)}>
                    Add a rule
                  </button>
                ) : null}
              </div>
              {adding ? (
                <NewRule
                  scope="task"
                  tasks={tasks.data?.items ?? []}
                  onCancel={() => setAdding(false)}
                  onCreated={() => {
                    setAdding(false);
                    rules.reload();
                  }}
                />
              ) : null}
              {others.length === 0 ? (
                <p class="muted">No task or sub-task rules.</p>
              ) : (
                <ul class="entries">
                  {others.map((r) => (
                    <li key={r.id}>
                      <p class="entry-head">
                        <strong>{r.scope === "task" ? "Task" : "Sub-task"}</strong>
                        {r.scope === "task" && r.task_id ? (
                          <a href={`/tasks/${r.task_id}`}>{taskName.get(r.task_id) ?? r.task_id}</a>
                        ) : null}
                        {r.scope === "sub_task" && r.sub_task_id ? (
                          <a href={`/sub-tasks/${r.sub_task_id}`}>{r.sub_task_id}</a>
                        ) : null}
                      </p>
                      <RuleEditor rule={r} onChanged={rules.reload} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        );
      }}
    </View>
  );
}

function RuleEditor({ rule, onChanged }: { rule: Rule; onChanged: () => void }) {
  const [content, setContent] = useState(rule.content);
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => setContent(rule.content), [rule.content]);
  useEffect(() => setSaved(false), [content]);
  const label = rule.scope === "global" ? "Global rule text" : `Rule ${rule.id.slice(0, 8)} text`;
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error("A rule cannot be empty; delete it instead.");
      await api(`/api/rules/${rule.id}`, { method: "PUT", body: { content } });
      setSaved(true);
      onChanged();
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field
        label={label}
        hint={
          <>
            Updated <RelTime value={rule.updated_at} />. Markdown; {"{{project_name}}"} and {"{{workspace_root}}"} are
            filled in.
          </>
        }
      >
        {(id, hint) => (
          <textarea
            id={id}
            aria-describedby={hint}
            class="editor"
            rows={rule.scope === "global" ? 18 : 6}
            value={content}
            onInput={(e) => setContent(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || content === rule.content}>
          {busy ? "Saving…" : "Save rule"}
        </button>
        <button type="button" class="btn btn-danger" onClick={() => setDeleting(true)}>
          Delete rule
        </button>
        {saved ? <Notice kind="ok">Saved.</Notice> : null}
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete this rule?"
          action="Delete rule"
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api(`/api/rules/${rule.id}`, { method: "DELETE" });
            onChanged();
          }}
        >
          <p>Agents stop receiving it the next time they fetch their rules.</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

function NewRule({
  scope: initialScope,
  tasks,
  onCreated,
  onCancel,
}: {
  scope: "global" | "task";
  tasks: AdminTask[];
  onCreated: () => void;
  onCancel?: () => void;
}) {
  const [scope, setScope] = useState<string>(initialScope);
  const [taskId, setTaskId] = useState("");
  const [subTaskId, setSubTaskId] = useState("");
  const [content, setContent] = useState("");
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error("Write the rule first.");
      if (scope === "task" && !taskId) throw new Error("Pick the task the rule applies to.");
      if (scope === "sub_task" && !subTaskId.trim()) throw new Error("Give the sub-task's ID.");
      await api("/api/rules", {
        method: "POST",
        body: {
          scope,
          content,
          task_id: scope === "task" ? taskId : null,
          sub_task_id: scope === "sub_task" ? subTaskId.trim() : null,
        },
      });
      onCreated();
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      {initialScope === "global" ? (
        <p class="muted">There is no global rule. Every agent reads it first.</p>
      ) : (
        <div class="grid grid-2 tight">
          <Select
            label="Applies to"
            value={scope}
            all={null}
            options={[
              { value: "task", label: "A task" },
              { value: "sub_task", label: "A sub-task" },
            ]}
            onChange={setScope}
          />
          {scope === "task" ? (
            <Select
              label="Task"
              value={taskId}
              all="Choose a task"
              options={tasks.map((t) => ({ value: t.id, label: t.name }))}
              onChange={setTaskId}
            />
          ) : (
            <Field label="Sub-task ID">
              {(id) => (
                <input id={id} class="mono" value={subTaskId} onInput={(e) => setSubTaskId(e.currentTarget.value)} />
              )}
            </Field>
          )}
        </div>
      )}
      <Field label={initialScope === "global" ? "Global rule text" : "New rule text"}>
        {(id) => (
          <textarea
            id={id}
            class="editor"
            rows={8}
            value={content}
            onInput={(e) => setContent(e.currentTarget.value)}
          />
        )}
      </Field>
      <FormActions busy={busy} error={error} submit="Create rule" busyLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}
