import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { api, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
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

const SORTS = [
  { value: "created_at", label: "Newest" },
  { value: "total_score", label: "Score" },
  { value: "name", label: "Name" },
  { value: "last_request_at", label: "Last request" },
];

export default function AgentsPage() {
  useTitle("Agents");
  const [q, setQuery] = useQueryState({ role: "", status: "", q: "", sort: "created_at", page: "1" });
  const role = isOneOf(ROLES, q.role) ? q.role : "";
  const status = isOneOf(AGENT_STATUSES, q.status) ? q.status : "";
  const sort = SORTS.some((s) => s.value === q.sort) ? q.sort : "created_at";
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
        title="Agents"
        actions={
          <>
            <button type="button" class="btn" onClick={agents.reload}>
              Refresh
            </button>
            <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
              New agent
            </button>
          </>
        }
      >
        Who works here: rank, workload and whether they were seen in the last 10 minutes.
      </PageHeader>
      <Filters
        label="Filter agents"
        active={filtered}
        onReset={() => setQuery({ role: "", status: "", q: "", page: "1" })}
      >
        <SearchBox
          label="Search"
          placeholder="Name or description"
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select label="Role" value={role} options={ROLES} onChange={(v) => setQuery({ role: v, page: "1" })} />
        <Select
          label="Status"
          value={status}
          options={AGENT_STATUSES}
          onChange={(v) => setQuery({ status: v, page: "1" })}
        />
        <Select
          label="Sort by"
          value={sort}
          options={SORTS}
          all={null}
          onChange={(v) => setQuery({ sort: v, page: "1" })}
        />
      </Filters>
      <View
        res={agents}
        label="agents"
        isEmpty={(d) => d.items.length === 0}
        empty={
          filtered ? (
            <Empty title="No agent matches these filters." />
          ) : (
            <Empty title="No agents yet.">
              <p>
                Agents register themselves with an enrollment token (issue one in{" "}
                <a href="/settings#agents">Settings</a> or with an agent prompt in <a href="/prompts">Prompts</a>), or
                create one here.
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
                    <th scope="col">Agent</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Rank
                    </th>
                    <th scope="col" class="num">
                      Score
                    </th>
                    <th scope="col">Workload</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((a) => (
                    <tr key={a.id}>
                      <td class="name-cell">
                        <OnlineDot online={a.online} /> <a href={`/agents/${a.id}`}>{a.name}</a>
                        {a.description ? (
                          <span class="cell-sub">
                            {a.description.length > 100 ? `${a.description.slice(0, 100)}…` : a.description}
                          </span>
                        ) : null}
                      </td>
                      <td data-label="Role">{humanize(a.role)}</td>
                      <td data-label="Status">
                        <Pill value={a.status} />
                      </td>
                      <td data-label="Rank" class="num">
                        #{a.rank}
                      </td>
                      <td data-label="Score" class="num">
                        {signed(a.total_score)}
                      </td>
                      <td data-label="Workload">
                        {a.open_sub_task_count} open
                        {a.open_sub_task_count > 0 ? (
                          <span class="cell-sub">
                            {[
                              a.in_progress_count && `${a.in_progress_count} in progress`,
                              a.assigned_count && `${a.assigned_count} assigned`,
                              a.review_count && `${a.review_count} in review`,
                              a.rework_count && `${a.rework_count} rework`,
                              a.blocked_count && `${a.blocked_count} blocked`,
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </span>
                        ) : null}
                      </td>
                      <td data-label="Last seen">
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
              noun="agents"
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
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error("Give the agent a name.");
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
      <Dialog title={`Agent ${created.name} created`} onClose={onClose} wide>
        <SecretOnce label="API key" value={created.api_key} />
        <p>
          The agent sends it as “Authorization: Bearer …”. Copy its standing prompt from its page, or connect its host
          over MCP:
        </p>
        <McpConfig apiKey={created.api_key} />
        <div class="form-actions">
          <button type="button" class="btn btn-primary" onClick={() => route(`/agents/${created.id}`)}>
            Open the agent
          </button>
          <button type="button" class="btn" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="New agent" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name">
          {(id) => (
            <input id={id} required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Select label="Role" value={role} options={ROLES} all={null} onChange={setRole} />
        <Field label="Description">
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
        <FormActions busy={busy} error={error} submit="Create agent" busyLabel="Creating…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
