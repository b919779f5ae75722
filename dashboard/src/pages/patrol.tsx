import { useState } from "preact/hooks";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { api, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { useLive } from "../live";
import type { PatrolRecord } from "./parts/types";
import {
  Dialog,
  FormActions,
  Pager,
  Pill,
  Prose,
  pageOf,
  shortId,
  Tabs,
  useAction,
  useAgentOptions,
  View,
} from "./parts/ui";

const TABS = [
  { id: "open", label: "Open" },
  { id: "resolved", label: "Resolved" },
  { id: "ignored", label: "Ignored" },
] as const;

/** A record as the admin list returns it; the names are used when the API joins them in. */
type Row = PatrolRecord & { sub_task_name?: string | null; agent_name?: string | null };

export default function PatrolPage() {
  useTitle("Patrol");
  const [q, setQuery] = useQueryState({ status: "open", page: "1" });
  const status = TABS.some((t) => t.id === q.status) ? q.status : "open";
  const records = useApi<Page<Row>>(
    withQuery("/api/admin/patrol-records", { status, page: pageOf(q.page), page_size: 20 }),
  );
  useLive(["patrol"], records.reload, { pollMs: 15_000, enabled: records.data !== undefined });
  const agents = useAgentOptions(undefined, undefined);
  const names = new Map((agents.data?.items ?? []).map((a) => [a.id, a.name]));
  const [resolving, setResolving] = useState<Row | null>(null);

  return (
    <>
      <PageHeader
        title="Patrol"
        actions={
          <button type="button" class="btn" onClick={records.reload}>
            Refresh
          </button>
        }
      >
        Anomalies the patrol found: timeouts, stuck or orphaned sub-tasks, rework loops and score drops.
      </PageHeader>
      <Tabs label="Record status" tabs={TABS} current={status} onSelect={(id) => setQuery({ status: id, page: "1" })} />
      <View
        res={records}
        label="patrol records"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title={status === "open" ? "No open anomalies: all clear." : `No ${status} records.`} />}
      >
        {(d) => (
          <>
            <section class="card" aria-label={`${humanize(status)} patrol records`}>
              <ul class="entries" data-testid="patrol-records">
                {d.items.map((r) => (
                  <li key={r.id} data-record-id={r.id}>
                    <div class="entry-head">
                      <Pill value={r.severity} />
                      <strong>{humanize(r.type)}</strong>
                      {r.sub_task_id ? (
                        <a href={`/sub-tasks/${r.sub_task_id}`}>
                          {r.sub_task_name ?? `sub-task ${shortId(r.sub_task_id)}`}
                        </a>
                      ) : null}
                      {r.agent_id ? (
                        <a href={`/agents/${r.agent_id}`}>
                          {r.agent_name ?? names.get(r.agent_id) ?? `agent ${shortId(r.agent_id)}`}
                        </a>
                      ) : null}
                      <span class="spacer" />
                      {r.status === "open" ? (
                        <button type="button" class="btn" onClick={() => setResolving(r)}>
                          Resolve
                        </button>
                      ) : (
                        <Pill value={r.status} />
                      )}
                    </div>
                    <Prose text={r.description} />
                    {r.action_taken ? <p class="entry-meta">Action taken: {r.action_taken}</p> : null}
                    <p class="entry-meta">
                      {r.source === "agent" ? "Filed by the patrol agent" : "Found by the server's patrol"} · first seen{" "}
                      <RelTime value={r.created_at} /> · last seen <RelTime value={r.last_seen_at} />
                      {r.resolved_at ? (
                        <>
                          {" "}
                          · resolved <RelTime value={r.resolved_at} />
                        </>
                      ) : null}
                    </p>
                    {r.resolution_note ? <p class="entry-meta">Note: {r.resolution_note}</p> : null}
                  </li>
                ))}
              </ul>
            </section>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              noun="records"
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
      {resolving ? (
        <ResolveDialog
          record={resolving}
          onClose={() => setResolving(null)}
          onSaved={() => {
            setResolving(null);
            records.reload();
          }}
        />
      ) : null}
    </>
  );
}

function ResolveDialog({ record, onClose, onSaved }: { record: Row; onClose: () => void; onSaved: () => void }) {
  const [note, setNote] = useState("");
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api(`/api/admin/patrol-records/${record.id}/resolve`, { method: "POST", body: { note: note.trim() } });
      onSaved();
    });
  };
  return (
    <Dialog title={`Resolve: ${humanize(record.type)}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p class="prose">{record.description}</p>
        <Field label="Resolution note" hint="What was done about it (optional).">
          {(id, hint) => (
            <textarea
              id={id}
              aria-describedby={hint}
              rows={3}
              maxLength={2000}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit="Resolve" busyLabel="Resolving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
