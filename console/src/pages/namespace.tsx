import { useState } from "preact/hooks";
import { durationSeconds } from "../../../src/duration.ts";
import { ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import type { Namespace } from "../api/types.ts";
import { describeRetention, retentionSeconds } from "../lib/item-value.ts";
import { formatRelative } from "../lib/relative-time.ts";
import { hrefOf, type Network } from "../lib/routes.ts";
import { Breadcrumbs } from "../ui/breadcrumbs.tsx";
import { ConfirmDialog, Empty, ErrorNote, Loading, PageHeader, TextField } from "../ui/common.tsx";
import { useConsole, useLoad, useServerNow } from "../ui/hooks.ts";
import { NewItemForm } from "../ui/item-form.tsx";

export function NamespacePage({ network, namespace }: { network: Network; namespace: string }) {
  const state = useConsole();
  const now = useServerNow();
  const loaded = useLoad(async () => {
    const [details, groups] = await Promise.all([
      state.api.get<Namespace>(paths.namespace(network, namespace)),
      state.api.get<string[]>(paths.groups(network, namespace)).then(
        (answer) => answer.data,
        // A namespace with no items can answer 404 for its groups.
        (error: unknown) => {
          if (error instanceof ApiError && error.problem.status === 404) return [];
          throw error;
        },
      ),
    ]);
    return { namespace: details.data, groups };
  }, [network, namespace]);
  const [confirming, setConfirming] = useState(false);
  const [deleteNow, setDeleteNow] = useState(false);
  const [busy, setBusy] = useState(false);

  const remove = () => {
    setBusy(true);
    state.api
      .delete<{ scheduledDeleteTime?: string }>(paths.namespace(network, namespace), {
        query: { sync: deleteNow ? "true" : undefined },
      })
      .then((answer) => {
        setConfirming(false);
        const when = answer.data?.scheduledDeleteTime;
        state.notify(
          when === undefined
            ? `Namespace ${namespace} deleted.`
            : `Namespace ${namespace} will be deleted ${formatRelative(Date.parse(when), now)}.`,
        );
        location.hash = hrefOf({ page: "namespaces", network });
      })
      .catch((error: unknown) => {
        setConfirming(false);
        state.notify(messageOf(error), "error");
      })
      .finally(() => setBusy(false));
  };

  return (
    <section>
      <Breadcrumbs network={network} namespace={namespace} />
      <PageHeader title={`Namespace ${namespace}`}>
        <button type="button" class="button button-danger" onClick={() => setConfirming(true)}>
          Delete namespace
        </button>
      </PageHeader>
      <ConfirmDialog
        open={confirming}
        title={`Delete namespace ${namespace} on ${network}?`}
        confirmLabel={`Delete ${namespace}`}
        onConfirm={remove}
        onClose={() => setConfirming(false)}
        busy={busy}
      >
        <p>
          The namespace and every item in it go. Tokens that name it are left as they are. The deletion is
          scheduled unless you delete at once.
        </p>
        <label class="check">
          <input
            type="checkbox"
            checked={deleteNow}
            onChange={(event) => setDeleteNow(event.currentTarget.checked)}
          />
          Delete at once
        </label>
      </ConfirmDialog>
      <ErrorNote message={loaded.error} />
      {loaded.data === null && loaded.loading ? <Loading what={`namespace ${namespace}`} /> : null}
      {loaded.data ? (
        <div class="cards cards-wide">
          <section class="card" aria-labelledby="ns-settings">
            <h2 id="ns-settings">Settings</h2>
            <dl class="facts">
              <dt>Network</dt>
              <dd>{network}</dd>
              <dt>Retention</dt>
              <dd>
                {describeRetention(loaded.data.namespace.retentionInSeconds)}{" "}
                <span class="muted">({loaded.data.namespace.retentionInSeconds} s)</span>
              </dd>
              <dt>Geo location</dt>
              <dd>{loaded.data.namespace.geoLocation}</dd>
              <dt>Group id</dt>
              <dd>{loaded.data.namespace.groupId}</dd>
              <dt>Data access</dt>
              <dd>
                {loaded.data.namespace.dataAccessPolicy.restrictDataAccess ? "restricted" : "not restricted"}{" "}
                ({loaded.data.namespace.dataAccessPolicy.policyType})
              </dd>
            </dl>
            <RetentionForm network={network} namespace={loaded.data.namespace} onChanged={loaded.reload} />
          </section>
          <section class="card" aria-labelledby="ns-groups">
            <h2 id="ns-groups">Groups</h2>
            {loaded.data.groups.length === 0 ? (
              <Empty>No items yet: a group comes into being with its first item.</Empty>
            ) : (
              <ul class="link-list">
                {loaded.data.groups.map((group) => (
                  <li key={group}>
                    <a href={hrefOf({ page: "group", network, namespace, group })}>{group}</a>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      ) : null}
      <div class="card">
        <NewItemForm network={network} namespace={namespace} />
      </div>
    </section>
  );
}

function RetentionForm({
  network,
  namespace,
  onChanged,
}: {
  network: Network;
  namespace: Namespace;
  onChanged(): void;
}) {
  const state = useConsole();
  const [retention, setRetention] = useState(String(namespace.retentionInSeconds));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const seconds = retentionSeconds(retention, durationSeconds);
    setBusy(true);
    state.api
      .put(paths.namespace(network, namespace.namespace), {
        namespace: namespace.namespace,
        retentionInSeconds: seconds ?? retention.trim(),
        geoLocation: namespace.geoLocation,
      })
      .then(() => {
        setError(null);
        state.notify(`Retention of ${namespace.namespace} changed.`);
        onChanged();
      })
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false));
  };
  return (
    <form class="inline-form" noValidate onSubmit={submit}>
      <TextField
        label="Retention"
        value={retention}
        onInput={(event) => setRetention(event.currentTarget.value)}
        error={error}
        hint="0 keeps items until deleted; otherwise a day or more: seconds, or 1d, 30d, 1w"
        autocomplete="off"
      />
      <button type="submit" class="button" disabled={busy}>
        Change retention
      </button>
    </form>
  );
}
