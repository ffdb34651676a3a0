import { PageHeader } from "../ui/common.tsx";

export function NotFoundPage({ path }: { path: string }) {
  return (
    <section>
      <PageHeader title="Page not found" />
      <p>
        The console has no page at <code>{path}</code>. <a href="#/">Go to the overview</a>.
      </p>
    </section>
  );
}
