import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

/**
 * A labelled form control. The control is rendered by `children(id)` so its id, the label's `for`
 * and the hint's `aria-describedby` always match.
 */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ComponentChildren;
  children: (id: string, hintId?: string) => ComponentChildren;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children(id, hintId)}
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
