// Settings → Project → "Switch the shipped texts": the global rule, role templates and example agent
// prompts seeded at setup, switched to another language. A dry run (GET) lists what would change; the
// admin confirms and the POST applies the same plan. In "unedited" mode an admin's edits are kept.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import type { ShippedTextMode, ShippedTextsPlan } from "../../../../contract/api/shipped-texts";
import { Field } from "../../components/field";
import { Notice } from "../../components/states";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../../i18n";
import { languageText } from "../../i18n/en/settings";
import { api, withQuery } from "../../lib/api";
import { Pill, useAction } from "./ui";

/** The pill colour of each outcome: a replacement is the change this is about. */
const OUTCOME_TONE = { replace: "active", keep_edited: "warning", same: "done", missing: "cancelled" } as const;

export function ShippedTexts({ current }: { current: Language }) {
  const t = useStore(languageText);
  const [target, setTarget] = useState<Language>(current);
  const [mode, setMode] = useState<ShippedTextMode>("unedited");
  const [plan, setPlan] = useState<ShippedTextsPlan | null>(null);
  const preview = useAction();
  const apply = useAction();

  // A different target or mode makes the shown plan stale.
  const choose = (next: () => void) => {
    next();
    setPlan(null);
    apply.clear();
  };
  const runPreview = (e: Event) => {
    e.preventDefault();
    void preview.run(async () =>
      setPlan(await api<ShippedTextsPlan>(withQuery("/api/admin/shipped-texts", { language: target, mode }))),
    );
  };
  const runApply = () =>
    void apply.run(async () =>
      setPlan(
        await api<ShippedTextsPlan>("/api/admin/shipped-texts", { method: "POST", body: { language: target, mode } }),
      ),
    );
  const replacing = plan?.items.filter((i) => i.outcome === "replace").length ?? 0;

  return (
    <div class="section-gap-top" data-testid="shipped-texts">
      <h3 class="h3">{t.switchTitle}</h3>
      <p class="hint">{t.switchIntro}</p>
      <form onSubmit={runPreview}>
        <div class="grid grid-2 tight">
          <Field label={t.target}>
            {(id) => (
              <select
                id={id}
                value={target}
                onChange={(e) => choose(() => setTarget(e.currentTarget.value as Language))}
              >
                {LANGUAGES.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t.mode}>
            {(id) => (
              <select
                id={id}
                value={mode}
                onChange={(e) => choose(() => setMode(e.currentTarget.value as ShippedTextMode))}
              >
                <option value="unedited">{t.modeUnedited}</option>
                <option value="all">{t.modeAll}</option>
              </select>
            )}
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn" disabled={preview.busy}>
            {preview.busy ? t.previewing : t.preview}
          </button>
        </div>
        {preview.error ? <Notice kind="error">{preview.error}</Notice> : null}
      </form>
      {plan ? (
        <>
          <table class="table" aria-label={t.planLabel}>
            <thead>
              <tr>
                <th scope="col">{t.kind}</th>
                <th scope="col">{t.item}</th>
                <th scope="col">{t.outcome}</th>
              </tr>
            </thead>
            <tbody>
              {plan.items.map((i) => (
                <tr key={`${i.kind}:${i.key}`} data-testid="shipped-text-row">
                  <td data-label={t.kind}>{t[i.kind]}</td>
                  <td data-label={t.item} data-i18n-skip>
                    {i.name}
                  </td>
                  <td data-label={t.outcome}>
                    <Pill
                      value={OUTCOME_TONE[i.outcome]}
                      label={i.outcome === "replace" && plan.applied ? t.replaced : t[i.outcome]}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan.applied ? (
            <Notice kind="ok">{t.applied(replacing)}</Notice>
          ) : replacing === 0 ? (
            <p class="muted">{t.nothingToDo}</p>
          ) : (
            <div class="form-actions">
              <button type="button" class="btn btn-primary" onClick={runApply} disabled={apply.busy}>
                {apply.busy ? t.applying : t.toReplace(replacing)}
              </button>
            </div>
          )}
          {apply.error ? <Notice kind="error">{apply.error}</Notice> : null}
        </>
      ) : null}
    </div>
  );
}
