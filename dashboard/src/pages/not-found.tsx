import { PageHeader } from "../components/layout";
import { Empty } from "../components/states";
import { useTitle } from "../lib/hooks";

export default function NotFoundPage() {
  useTitle("Not found");
  return (
    <>
      <PageHeader title="Page not found" />
      <Empty title="There is no page at this address.">
        <a class="btn" href="/overview">
          Back to the overview
        </a>
      </Empty>
    </>
  );
}
