import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { agentsPage, createAgent } from "../i18n/en/agents";
import { roleLabels, stateLabels } from "../i18n/en/enums";
import { Rich } from "../i18n/rich";
import { api, withQuery } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { McpConfig } from "./parts/mcp-config";
import { type AdminAgent, type AdminAgentCreated, AGENT_STATUSES, isOneOf, ROLES } from "./parts/types";
import {
  Dialog,
  Filters,
  FormActions,
  OnlineDot,
  Pager,
  Pill,
  pageOf,
  SearchBox,
  SecretOnce,
  Select,
  signed,
  useAction,
  View,
} from "./parts/ui";

const SORTS = ["created_at", "total_score", "name", "last_request_at"] as const;

export default function AgentsPage() {
  const t = useStore(agentsPage);
  const roles = useStore(roleLabels);
  const states = useStore(stateLabels);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ role: "", status: "", q: "", sort: "created_at", page: "1" });
  const role = isOneOf(ROLES, q.role) ? q.role : "";
  const status = isOneOf(AGENT_STATUSES, q.status) ? q.status : "";
  const sort = isOneOf(SORTS, q.sort) ? q.sort : "created_at";
  const sortLabels = {
    created_at: t.sortNewest,
    total_score: t.sortScore,
    name: t.sortName,
    last_request_at: t.sortLastRequest,
  };
  const page = pageOf(q.page);
  const agents = useApi<Page<AdminAgent>>(
    withQuery("/api/admin/agents", {
      role,
      status,
      keyword: q.q,
      page,
      page_size: 20,
      sort_by: sort,
      sort_order: sort === "name" ? "asc" : "desc",
    }),
  );
  const [creating, setCreating] = useState(false);
  const filtered = Boolean(role || status || q.q);

  return (
    <>
      <PageHeader
        title={t.title}
        actions={
          <>
            <button type="button" class="btn" onClick={agents.reload}>
              {t.refresh}
            </button>
            <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
              {t.newAgent}
            </button>
          </>
        }
      >
        {t.intro}
      </PageHeader>
      <Filters
        label={t.filterLabel}
        active={filtered}
        onReset={() => setQuery({ role: "", status: "", q: "", page: "1" })}
      >
        <SearchBox
          label={t.search}
          placeholder={t.searchPlaceholder}
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label={t.role}
          value={role}
          options={ROLES.map((r) => ({ value: r, label: labelOf(roles, r) }))}
          onChange={(v) => setQuery({ role: v, page: "1" })}
        />
        <Select
          label={t.status}
          value={status}
          options={AGENT_STATUSES.map((s) => ({ value: s, label: labelOf(states, s) }))}
          onChange={(v) => setQuery({ status: v, page: "1" })}
        />
        <Select
          label={t.sortBy}
          value={sort}
          options={SORTS.map((s) => ({ value: s, label: sortLabels[s] }))}
          all={null}
          onChange={(v) => setQuery({ sort: v, page: "1" })}
        />
      </Filters>
      <View
        res={agents}
        loading={t.loading}
        isEmpty={(d) => d.items.length === 0}
        empty={
          filtered ? (
            <Empty title={t.noMatch} />
          ) : (
            <Empty title={t.noneYet}>
              <p>
                <Rich
                  text={t.noneYetHelp}
                  parts={{
                    settings: <a href="/settings#agents">{t.settingsLink}</a>,
                    prompts: <a href="/prompts">{t.promptsLink}</a>,
                  }}
                />
              </p>
            </Empty>
          )
        }
      >
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t.colAgent}</th>
                    <th scope="col">{t.colRole}</th>
                    <th scope="col">{t.colStatus}</th>
                    <th scope="col" class="num">
                      {t.colRank}
                    </th>
                    <th scope="col" class="num">
                      {t.colScore}
                    </th>
                    <th scope="col">{t.colWorkload}</th>
                    <th scope="col">{t.colLastSeen}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((a) => (
                    <tr key={a.id}>
                      <td class="name-cell">
                        <OnlineDot online={a.online} />{" "}
                        <a href={`/agents/${a.id}`} data-i18n-skip>
                          {a.name}
                        </a>
                        {a.description ? (
                          <span class="cell-sub" data-i18n-skip>
                            {a.description.length > 100 ? `${a.description.slice(0, 100)}…` : a.description}
                          </span>
                        ) : null}
                      </td>
                      <td data-label={t.colRole}>{labelOf(roles, a.role)}</td>
                      <td data-label={t.colStatus}>
                        <Pill value={a.status} />
                      </td>
                      <td data-label={t.colRank} class="num">
                        #{a.rank}
                      </td>
                      <td data-label={t.colScore} class="num">
                        {signed(a.total_score)}
                      </td>
                      <td data-label={t.colWorkload}>
                        {t.open({ n: a.open_sub_task_count })}
                        {a.open_sub_task_count > 0 ? (
                          <span class="cell-sub">
                            {[
                              a.in_progress_count && t.inProgress({ n: a.in_progress_count }),
                              a.assigned_count && t.assigned({ n: a.assigned_count }),
                              a.review_count && t.inReview({ n: a.review_count }),
                              a.rework_count && t.rework({ n: a.rework_count }),
                              a.blocked_count && t.blocked({ n: a.blocked_count }),
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </span>
                        ) : null}
                      </td>
                      <td data-label={t.colLastSeen}>
                        <RelTime value={a.last_seen_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              count={t.total}
              noun={t.pagerNoun}
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
      {creating ? (
        <CreateAgentDialog
          onClose={() => {
            setCreating(false);
            agents.reload();
          }}
        />
      ) : null}
    </>
  );
}

function CreateAgentDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState("executor");
  const [description, setDescription] = useState("");
  const [created, setCreated] = useState<{ id: string; name: string; api_key: string } | null>(null);
  const { busy, error, run } = useAction();
  const { route } = useLocation();
  const t = useStore(createAgent);
  const roles = useStore(roleLabels);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error(t.nameRequired);
      setCreated(
        await api<AdminAgentCreated>("/api/admin/agents", {
          method: "POST",
          body: { name: name.trim(), role, description },
        }),
      );
    });
  };
  if (created) {
    return (
      <Dialog title={t.created({ name: created.name })} onClose={onClose} wide>
        <SecretOnce label={t.apiKey} value={created.api_key} />
        <p>{t.keyUse}</p>
        <McpConfig apiKey={created.api_key} />
        <div class="form-actions">
          <button type="button" class="btn btn-primary" onClick={() => route(`/agents/${created.id}`)}>
            {t.openAgent}
          </button>
          <button type="button" class="btn" onClick={onClose}>
            {t.done}
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={t.title} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label={t.name}>
          {(id) => (
            <input id={id} required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Select
          label={t.role}
          value={role}
          options={ROLES.map((r) => ({ value: r, label: labelOf(roles, r) }))}
          all={null}
          onChange={setRole}
        />
        <Field label={t.description}>
          {(id) => (
            <textarea
              id={id}
              rows={3}
              maxLength={2000}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit={t.submit} busyLabel={t.busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
