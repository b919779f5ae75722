import { useStore } from "@nanostores/preact";
import { LANGUAGE_NAMES, LANGUAGES, type Language, language, setLanguage } from "../i18n";
import { shell } from "../i18n/en/shell";

/** The header's language picker: each language named in itself; the choice is remembered on this browser. */
export function LanguageSwitch() {
  const current = useStore(language);
  const t = useStore(shell);
  return (
    <select
      class="lang-switch"
      aria-label={t.language}
      value={current}
      onChange={(e) => setLanguage(e.currentTarget.value as Language)}
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LANGUAGE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}
