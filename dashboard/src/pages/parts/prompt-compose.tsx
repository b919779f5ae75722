// The composed prompts of an agent prompt: the standing prompt with its variables, and the one-time
// enrollment prompt (a preview until the admin issues a single-use token).
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { CopyButton } from "../../components/copy-button";
import { composeText } from "../../i18n/en/prompts";
import { api } from "../../lib/api";
import { formatAbsolute } from "../../lib/format";
import { useApi } from "../../lib/hooks";
import type { ComposedPrompt, ComposedWithToken } from "./types";
import { useAction, View } from "./ui";

export function ComposePreview({ slug }: { slug: string }) {
  const t = useStore(composeText);
  const composed = useApi<ComposedPrompt>(`/api/admin/prompts/compose/${encodeURIComponent(slug)}`);
  return (
    <section class="card" aria-labelledby="compose-title">
      <div class="card-head">
        <h2 id="compose-title" class="h3">
          {t.standing}
        </h2>
        {composed.data ? <CopyButton text={composed.data.standing_prompt} label={t.copyStanding} /> : null}
      </div>
      <p class="hint">{t.standingHint}</p>
      <View res={composed} label={t.composedLabel}>
        {(c) => (
          <>
            {c.variables.length > 0 ? (
              <table class="table vars" aria-label={t.variables}>
                <thead>
                  <tr>
                    <th scope="col">{t.variable}</th>
                    <th scope="col">{t.value}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.variables.map((v) => (
                    <tr key={v.name}>
                      <td class="name-cell">
                        <code class="mono">{`{{${v.name}}}`}</code>
                      </td>
                      <td data-label={t.value} class="wrap">
                        {v.value === null ? (
                          <span class="muted">{t.noValue}</span>
                        ) : (
                          <code class="mono">{v.value}</code>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">{t.noVariables}</p>
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
  const t = useStore(composeText);
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
          {t.enrollment}
        </h3>
        {issued ? (
          <CopyButton text={text} label={t.copyEnrollment} />
        ) : (
          <button type="button" class="btn btn-primary" onClick={issue} disabled={busy}>
            {busy ? t.issuing : t.issue}
          </button>
        )}
      </div>
      <p class="hint">
        {issued ? t.issuedHint({ expires: formatAbsolute(issued.enrollment_token.expires_at) }) : t.previewHint}
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
