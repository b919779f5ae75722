import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../i18n";

/**
 * The project's language (what the server hands agents), as radio buttons: two choices read at a
 * glance, and no second "Language" combobox beside the header's dashboard-language switch. Each
 * language is named in itself. Used by the setup wizard and the settings page.
 */
export function ProjectLanguage({
  legend,
  hint,
  value,
  onChange,
}: {
  legend: string;
  hint: string;
  value: Language;
  onChange: (language: Language) => void;
}) {
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      <p class="hint">{hint}</p>
      {LANGUAGES.map((l) => (
        <label key={l} class="check">
          <input
            type="radio"
            name="project-language"
            value={l}
            checked={value === l}
            onChange={(e) => e.currentTarget.checked && onChange(l)}
          />
          <span lang={l}>{LANGUAGE_NAMES[l]}</span>
        </label>
      ))}
    </fieldset>
  );
}
