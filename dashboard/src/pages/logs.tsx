import { useStore } from "@nanostores/preact";
import { PageHeader } from "../components/layout";
import { Empty } from "../components/states";
import { actionLabels, roleLabels } from "../i18n/en/enums";
import { logsPage } from "../i18n/en/logs";
import { withQuery } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { ACTIVITY_ACTIONS, type AdminLog, isOneOf } from "./parts/types";
import { Filters, LogEntry, Pager, pageOf, SearchBox, Select, useAgentOptions, View } from "./parts/ui";

const DAYS = ["1", "7", "30", "60"] as const;

export default function LogsPage() {
  const t = useStore(logsPage);
  const roles = useStore(roleLabels);
  const actions = useStore(actionLabels);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ agent: "", action: "", q: "", days: "", page: "1" });
  const action = isOneOf(ACTIVITY_ACTIONS, q.action) ? q.action : "";
  const days = isOneOf(DAYS, q.days) ? q.days : "";
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
        title={t.title}
        actions={
          <button type="button" class="btn" onClick={logs.reload}>
            {t.refresh}
          </button>
        }
      >
        {t.intro}
      </PageHeader>
      <Filters
        label={t.filterLabel}
        active={filtered}
        onReset={() => setQuery({ agent: "", action: "", q: "", days: "", page: "1" })}
      >
        <SearchBox
          label={t.search}
          placeholder={t.searchPlaceholder}
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label={t.agent}
          value={q.agent}
          options={(agents.data?.items ?? []).map((a) => ({
            value: a.id,
            label: t.agentOption({ name: a.name, role: labelOf(roles, a.role) }),
          }))}
          onChange={(v) => setQuery({ agent: v, page: "1" })}
        />
        <Select
          label={t.action}
          value={action}
          options={ACTIVITY_ACTIONS}
          labels={actions}
          onChange={(v) => setQuery({ action: v, page: "1" })}
        />
        <Select
          label={t.time}
          value={days}
          options={DAYS.map((d) => ({ value: d, label: d === "1" ? t.last24Hours : t.lastDays({ n: d }) }))}
          all={t.anyTime}
          onChange={(v) => setQuery({ days: v, page: "1" })}
        />
      </Filters>
      <View
        res={logs}
        loading={t.loading}
        isEmpty={(d) => d.items.length === 0}
        empty={filtered ? <Empty title={t.noMatch} /> : <Empty title={t.noneYet} />}
      >
        {(d) => (
          <>
            <section class="card" aria-label={t.listLabel}>
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
              count={t.total}
              noun={t.pagerNoun}
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
    </>
  );
}
