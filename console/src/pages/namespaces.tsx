import { useState } from "preact/hooks";
import { durationSeconds } from "../../../src/duration.ts";
import { ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { type Namespace, NETWORK_LABELS } from "../api/types.ts";
import { describeRetention, retentionSeconds } from "../lib/item-value.ts";
import { fieldOf } from "../lib/problem.ts";
import { hrefOf, NETWORKS, type Network } from "../lib/routes.ts";
import { Empty, ErrorNote, Loading, PageHeader, TableScroll, TextField } from "../ui/common.tsx";
import { useConsole, useLoad } from "../ui/hooks.ts";

const GEO_LOCATIONS = ["US", "EU", "JP", "GLOBAL"] as const;

export function NamespacesPage({ network }: { network: Network | null }) {
  const state = useConsole();
  const shown = network === null ? NETWORKS : [network];
  const loaded = useLoad(
    () =>
      Promise.all(
        shown.map((item) =>
          state.api
            .get<{ namespaces: Namespace[] }>(paths.namespaces(item), { query: { details: "on" } })
            .then((answer) => answer.data.namespaces),
        ),
      ),
    [shown.join()],
  );

  return (
    <section>
      <PageHeader title={network === null ? "Namespaces" : `Namespaces on ${NETWORK_LABELS[network]}`} />
      <nav class="tabs" aria-label="Networks">
        <a href="#/namespaces" aria-current={network === null ? "page" : undefined}>
          Both networks
        </a>
        {NETWORKS.map((item) => (
          <a key={item} href={`#/namespaces/${item}`} aria-current={network === item ? "page" : undefined}>
            {NETWORK_LABELS[item]}
          </a>
        ))}
      </nav>
      <ErrorNote message={loaded.error} />
      {loaded.data === null && loaded.loading ? <Loading what="namespaces" /> : null}
      {loaded.data?.map((namespaces, index) => {
        const item = shown[index] ?? "staging";
        return (
          <section key={item} aria-labelledby={`ns-${item}`} class="section">
            <h2 id={`ns-${item}`}>{NETWORK_LABELS[item]}</h2>
            {namespaces.length === 0 ? (
              <Empty>No namespaces on {item}.</Empty>
            ) : (
              <TableScroll label={`Namespaces on ${item}`}>
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">Namespace</th>
                      <th scope="col">Retention</th>
                      <th scope="col">Geo location</th>
                      <th scope="col">Group id</th>
                      <th scope="col">Data access</th>
                    </tr>
                  </thead>
                  <tbody>
                    {namespaces.map((namespace) => (
                      <tr key={namespace.namespace}>
                        <th scope="row">
                          <a
                            href={hrefOf({
                              page: "namespace",
                              network: item,
                              namespace: namespace.namespace,
                            })}
                          >
                            {namespace.namespace}
                          </a>
                        </th>
                        <td>
                          {namespace.retentionInSeconds === undefined
                            ? "—"
                            : describeRetention(namespace.retentionInSeconds)}
                        </td>
                        <td>{namespace.geoLocation ?? "—"}</td>
                        <td>{namespace.groupId ?? "—"}</td>
                        <td>
                          {namespace.dataAccessPolicy === undefined
                            ? "—"
                            : `${namespace.dataAccessPolicy.restrictDataAccess ? "restricted" : "not restricted"} (${namespace.dataAccessPolicy.policyType})`}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </section>
        );
      })}
      <CreateNamespaceForm network={network ?? "staging"} onCreated={loaded.reload} />
    </section>
  );
}

type NamespaceField = "network" | "namespace" | "retentionInSeconds" | "groupId" | "geoLocation";

function CreateNamespaceForm({
  network: initialNetwork,
  onCreated,
}: {
  network: Network;
  onCreated(): void;
}) {
  const state = useConsole();
  const [network, setNetwork] = useState<Network>(initialNetwork);
  const [name, setName] = useState("");
  const [retention, setRetention] = useState("0");
  const [groupId, setGroupId] = useState("0");
  const [geoLocation, setGeoLocation] = useState("US");
  const [error, setError] = useState<{ field: NamespaceField | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const errorFor = (field: NamespaceField) => (error?.field === field ? error.message : null);

  const submit = (event: Event) => {
    event.preventDefault();
    const seconds = retentionSeconds(retention, durationSeconds);
    setBusy(true);
    state.api
      .post<Namespace>(paths.namespaces(network), {
        namespace: name.trim(),
        retentionInSeconds: seconds ?? retention.trim(),
        groupId: /^\d+$/.test(groupId.trim()) ? Number(groupId.trim()) : groupId.trim(),
        geoLocation,
      })
      .then((answer) => {
        setError(null);
        setName("");
        state.notify(`Namespace ${answer.data.namespace} created on ${network}.`);
        onCreated();
      })
      .catch((failure: unknown) => {
        const field =
          failure instanceof ApiError
            ? (fieldOf(
                failure.problem,
                ["namespace", "retentionInSeconds", "groupId", "geoLocation"],
                [
                  [/retention/i, "retentionInSeconds"],
                  [/geo/i, "geoLocation"],
                  [/group/i, "groupId"],
                  [/namespace/i, "namespace"],
                ],
              ) as NamespaceField | null)
            : null;
        setError({ field, message: messageOf(failure) });
      })
      .finally(() => setBusy(false));
  };

  return (
    <form class="form card" noValidate onSubmit={submit} aria-labelledby="create-ns-title">
      <h2 id="create-ns-title">New namespace</h2>
      {error !== null && error.field === null ? <ErrorNote message={error.message} /> : null}
      <div class="form-row">
        <div class="field">
          <label for="create-ns-network">Network</label>
          <select
            id="create-ns-network"
            value={network}
            onChange={(event) => setNetwork(event.currentTarget.value as Network)}
          >
            {NETWORKS.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Namespace"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
          error={errorFor("namespace")}
          hint="1 to 32 letters, digits, _ or -"
          autocomplete="off"
        />
        <TextField
          label="Retention"
          value={retention}
          onInput={(event) => setRetention(event.currentTarget.value)}
          error={errorFor("retentionInSeconds")}
          hint="0 keeps items until deleted; otherwise a day or more: seconds, or 1d, 30d, 1w"
          autocomplete="off"
        />
        <div class={`field${errorFor("geoLocation") ? " field-invalid" : ""}`}>
          <label for="create-ns-geo">Geo location</label>
          <select
            id="create-ns-geo"
            value={geoLocation}
            onChange={(event) => setGeoLocation(event.currentTarget.value)}
            aria-invalid={errorFor("geoLocation") ? "true" : undefined}
            aria-describedby={errorFor("geoLocation") ? "create-ns-geo-error" : undefined}
          >
            {GEO_LOCATIONS.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
          {errorFor("geoLocation") ? (
            <span class="field-error" id="create-ns-geo-error">
              {errorFor("geoLocation")}
            </span>
          ) : null}
        </div>
        <TextField
          label="Group id"
          value={groupId}
          onInput={(event) => setGroupId(event.currentTarget.value)}
          error={errorFor("groupId")}
          inputMode="numeric"
          autocomplete="off"
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          Create namespace
        </button>
      </div>
    </form>
  );
}
