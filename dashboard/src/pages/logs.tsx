import { PageHeader } from "../components/layout";
import { Empty } from "../components/states";
import { withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { ACTIVITY_ACTIONS, type AdminLog, isOneOf } from "./parts/types";
import { Filters, LogEntry, Pager, pageOf, SearchBox, Select, useAgentOptions, View } from "./parts/ui";

const DAYS = [
  { value: "1", label: "Last 24 hours" },
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "60", label: "Last 60 days" },
];

export default function LogsPage() {
  useTitle("Logs");
  const [q, setQuery] = useQueryState({ agent: "", action: "", q: "", days: "", page: "1" });
  const action = isOneOf(ACTIVITY_ACTIONS, q.action) ? q.action : "";
  const days = DAYS.some((d) => d.value === q.days) ? q.days : "";
  const agents = useAgentOptions(undefined, undefined);
  const logs = useApi<Page<AdminLog>>(
    withQuery("/api/admin/logs", {
      agent_id: q.agent,
      action,
      keyword: q.q,
      days,
      page: pageOf(q.page),
      page_size: 30,
    }),
  );
  const filtered = Boolean(q.agent || action || q.q || days);

  return (
    <>
      <PageHeader
        title="Logs"
        actions={
          <button type="button" class="btn" onClick={logs.reload}>
            Refresh
          </button>
        }
      >
        The agents' activity journal: what they planned, coded, delivered, reviewed and reflected on.
      </PageHeader>
      <Filters
        label="Filter logs"
        active={filtered}
        onReset={() => setQuery({ agent: "", action: "", q: "", days: "", page: "1" })}
      >
        <SearchBox
          label="Search"
          placeholder="Words in the summary"
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label="Agent"
          value={q.agent}
          options={(agents.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name} (${humanize(a.role)})` }))}
          onChange={(v) => setQuery({ agent: v, page: "1" })}
        />
        <Select
          label="Action"
          value={action}
          options={ACTIVITY_ACTIONS}
          onChange={(v) => setQuery({ action: v, page: "1" })}
        />
        <Select
          label="Time"
          value={days}
          options={DAYS}
          all="Any time"
          onChange={(v) => setQuery({ days: v, page: "1" })}
        />
      </Filters>
      <View
        res={logs}
        label="logs"
        isEmpty={(d) => d.items.length === 0}
        empty={filtered ? <Empty title="No log matches these filters." /> : <Empty title="No activity logged yet." />}
      >
        {(d) => (
          <>
            <section class="card" aria-label="Activity logs">
              <ul class="entries" data-testid="activity-logs">
                {d.items.map((l) => (
                  <li key={l.id}>
                    <LogEntry log={l} />
                  </li>
                ))}
              </ul>
            </section>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              noun="logs"
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
    </>
  );
}
