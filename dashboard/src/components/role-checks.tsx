import { humanize } from "../lib/format";

const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;

/** Which roles the shared registration token may register; the others need an enrollment token. */
export function RoleChecks({
  selected,
  onChange,
}: {
  selected: readonly string[];
  onChange: (roles: string[]) => void;
}) {
  const toggle = (role: string, on: boolean) => onChange(ROLES.filter((r) => (r === role ? on : selected.includes(r))));
  return (
    <fieldset class="checks">
      <legend>Roles the shared registration token may register</legend>
      <p class="hint">
        Any agent that sees this token can register these roles. Keep it to executors; enroll other roles with a
        one-time enrollment token.
      </p>
      {ROLES.map((role) => (
        <label key={role} class="check">
          <input
            type="checkbox"
            checked={selected.includes(role)}
            onChange={(e) => toggle(role, e.currentTarget.checked)}
          />
          <span>{humanize(role)}</span>
        </label>
      ))}
    </fieldset>
  );
}
