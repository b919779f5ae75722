// A time-zone input: free text with the browser's own zones offered as suggestions (a datalist),
// used by the schedule form and the retrospective settings.
import { useId } from "preact/hooks";
import { Field } from "../../components/field";
import { knownZones } from "./schedule-words";

interface ZoneFieldProps {
  label: string;
  hint: string;
  name: string;
  value: string;
  onInput: (zone: string) => void;
}

export function ZoneField({ label, hint, name, value, onInput }: ZoneFieldProps) {
  const zonesId = useId();
  return (
    <Field label={label} hint={hint}>
      {(id, d) => (
        <>
          <input
            id={id}
            name={name}
            aria-describedby={d}
            list={zonesId}
            maxLength={64}
            value={value}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
          <datalist id={zonesId}>
            {knownZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
