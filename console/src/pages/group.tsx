import { ApiError } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { hrefOf, type Network } from "../lib/routes.ts";
import { Breadcrumbs } from "../ui/breadcrumbs.tsx";
import { Empty, ErrorNote, Loading, PageHeader } from "../ui/common.tsx";
import { useConsole, useLoad } from "../ui/hooks.ts";
import { NewItemForm } from "../ui/item-form.tsx";

const MAX_KEYS = 100;

export function GroupPage({
  network,
  namespace,
  group,
}: {
  network: Network;
  namespace: string;
  group: string;
}) {
  const state = useConsole();
  const loaded = useLoad(
    () =>
      state.api
        .get<string[]>(paths.group(network, namespace, group), { query: { maxItems: String(MAX_KEYS) } })
        .then(
          (answer) => answer.data,
          (error: unknown) => {
            // A group with no items left is simply empty.
            if (error instanceof ApiError && error.problem.status === 404) return [];
            throw error;
          },
        ),
    [network, namespace, group],
  );
  return (
    <section>
      <Breadcrumbs network={network} namespace={namespace} group={group} />
      <PageHeader title={`Group ${group}`} />
      <ErrorNote message={loaded.error} />
      {loaded.data === null && loaded.loading ? <Loading what="items" /> : null}
      {loaded.data !== null ? (
        <section class="card" aria-labelledby="group-items">
          <h2 id="group-items">Items</h2>
          {loaded.data.length === 0 ? (
            <Empty>No items in this group.</Empty>
          ) : (
            <ul class="link-list link-list-columns">
              {loaded.data.map((item) => (
                <li key={item}>
                  <a href={hrefOf({ page: "item", network, namespace, group, item })}>{item}</a>
                </li>
              ))}
            </ul>
          )}
          {loaded.data.length >= MAX_KEYS ? (
            <p class="muted">The first {MAX_KEYS} keys are shown, as the API lists them.</p>
          ) : null}
        </section>
      ) : null}
      <div class="card">
        <NewItemForm network={network} namespace={namespace} group={group} />
      </div>
    </section>
  );
}
