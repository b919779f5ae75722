import { useStore } from "@nanostores/preact";
import { roleLabels } from "../i18n/en/enums";
import { roleChecksText } from "../i18n/en/parts";

const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;

/** Which roles the shared registration token may register; the others need an enrollment token. */
export function RoleChecks({
  selected,
  onChange,
}: {
  selected: readonly string[];
  onChange: (roles: string[]) => void;
}) {
  const t = useStore(roleChecksText);
  const roles = useStore(roleLabels);
  const toggle = (role: string, on: boolean) => onChange(ROLES.filter((r) => (r === role ? on : selected.includes(r))));
  return (
    <fieldset class="checks">
      <legend>{t.legend}</legend>
      <p class="hint">{t.hint}</p>
      {ROLES.map((role) => (
        <label key={role} class="check">
          <input
            type="checkbox"
            checked={selected.includes(role)}
            onChange={(e) => toggle(role, e.currentTarget.checked)}
          />
          <span>{roles[role]}</span>
        </label>
      ))}
    </fieldset>
  );
}
