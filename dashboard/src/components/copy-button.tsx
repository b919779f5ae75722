import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import { shell } from "../i18n/en/shell";

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useStore(shell);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <button type="button" class="btn" onClick={copy} aria-live="polite">
      {state === "copied" ? t.copied : state === "failed" ? t.copyFailed : (label ?? t.copy)}
    </button>
  );
}
