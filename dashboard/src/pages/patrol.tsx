import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { anomalyLabels, stateLabels } from "../i18n/en/enums";
import { patrolPage, resolveRecord } from "../i18n/en/patrol";
import { Rich } from "../i18n/rich";
import { api, withQuery } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { useLive } from "../live";
import { isOneOf, type PatrolRecord } from "./parts/types";
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

const STATUSES = ["open", "resolved", "ignored"] as const;

/** A record as the admin list returns it; the names are used when the API joins them in. */
type Row = PatrolRecord & { sub_task_name?: string | null; agent_name?: string | null };

export default function PatrolPage() {
  const t = useStore(patrolPage);
  const states = useStore(stateLabels);
  const anomalies = useStore(anomalyLabels);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ status: "open", page: "1" });
  const status = isOneOf(STATUSES, q.status) ? q.status : "open";
  const byStatus = {
    open: { empty: t.noneOpen, list: t.listOpen },
    resolved: { empty: t.noneResolved, list: t.listResolved },
    ignored: { empty: t.noneIgnored, list: t.listIgnored },
  }[status];
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
        title={t.title}
        actions={
          <button type="button" class="btn" onClick={records.reload}>
            {t.refresh}
          </button>
        }
      >
        {t.intro}
      </PageHeader>
      <Tabs
        label={t.tabsLabel}
        tabs={STATUSES.map((id) => ({ id, label: labelOf(states, id) }))}
        current={status}
        onSelect={(id) => setQuery({ status: id, page: "1" })}
      />
      <View
        res={records}
        loading={t.loading}
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title={byStatus.empty} />}
      >
        {(d) => (
          <>
            <section class="card" aria-label={byStatus.list}>
              <ul class="entries" data-testid="patrol-records">
                {d.items.map((r) => (
                  <li key={r.id} data-record-id={r.id}>
                    <div class="entry-head">
                      <Pill value={r.severity} />
                      <strong>{labelOf(anomalies, r.type)}</strong>
                      {r.sub_task_id ? (
                        <a href={`/sub-tasks/${r.sub_task_id}`}>
                          <UserText
                            text={r.sub_task_name}
                            fallback={t.subTaskFallback({ id: shortId(r.sub_task_id) })}
                          />
                        </a>
                      ) : null}
                      {r.agent_id ? (
                        <a href={`/agents/${r.agent_id}`}>
                          <UserText
                            text={r.agent_name ?? names.get(r.agent_id)}
                            fallback={t.agentFallback({ id: shortId(r.agent_id) })}
                          />
                        </a>
                      ) : null}
                      <span class="spacer" />
                      {r.status === "open" ? (
                        <button type="button" class="btn" onClick={() => setResolving(r)}>
                          {t.resolve}
                        </button>
                      ) : (
                        <Pill value={r.status} />
                      )}
                    </div>
                    <Prose text={r.description} />
                    {r.action_taken ? (
                      <p class="entry-meta">
                        <Rich text={t.actionTaken} parts={{ action: <UserText text={r.action_taken} /> }} />
                      </p>
                    ) : null}
                    <p class="entry-meta">
                      {r.source === "agent" ? t.filedByAgent : t.foundByServer} ·{" "}
                      <Rich text={t.firstSeen} parts={{ when: <RelTime value={r.created_at} /> }} /> ·{" "}
                      <Rich text={t.lastSeen} parts={{ when: <RelTime value={r.last_seen_at} /> }} />
                      {r.resolved_at ? (
                        <>
                          {" · "}
                          <Rich text={t.resolvedAt} parts={{ when: <RelTime value={r.resolved_at} /> }} />
                        </>
                      ) : null}
                    </p>
                    {r.resolution_note ? (
                      <p class="entry-meta">
                        <Rich text={t.note} parts={{ note: <UserText text={r.resolution_note} /> }} />
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
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
  const t = useStore(resolveRecord);
  const anomalies = useStore(anomalyLabels);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api(`/api/admin/patrol-records/${record.id}/resolve`, { method: "POST", body: { note: note.trim() } });
      onSaved();
    });
  };
  return (
    <Dialog title={t.title({ type: labelOf(anomalies, record.type) })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p class="prose" data-i18n-skip>
          {record.description}
        </p>
        <Field label={t.note} hint={t.noteHint}>
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
        <FormActions busy={busy} error={error} submit={t.submit} busyLabel={t.busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/**
 * A name or note an agent or admin wrote: kept as written and marked for the language walk to skip;
 * `fallback` (our own text, e.g. "sub-task 1a2b3c4d") when there is none.
 */
function UserText({ text, fallback = "" }: { text: string | null | undefined; fallback?: string }) {
  return text ? <span data-i18n-skip>{text}</span> : fallback;
}
