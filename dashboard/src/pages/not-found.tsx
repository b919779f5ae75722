import { useStore } from "@nanostores/preact";
import { PageHeader } from "../components/layout";
import { Empty } from "../components/states";
import { notFoundText } from "../i18n/en/not-found";
import { useTitle } from "../lib/hooks";

export default function NotFoundPage() {
  const t = useStore(notFoundText);
  useTitle(t.title);
  return (
    <>
      <PageHeader title={t.heading} />
      <Empty title={t.nothingHere}>
        <a class="btn" href="/overview">
          {t.backToOverview}
        </a>
      </Empty>
    </>
  );
}
