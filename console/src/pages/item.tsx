import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { checkValue, type ValueType, valueForEditing } from "../lib/item-value.ts";
import { hrefOf, type Network } from "../lib/routes.ts";
import { Breadcrumbs } from "../ui/breadcrumbs.tsx";
import { ConfirmDialog, ErrorNote, Loading, PageHeader } from "../ui/common.tsx";
import { useConsole, useLoad } from "../ui/hooks.ts";
import { ValueEditor } from "../ui/value-editor.tsx";

export function ItemPage({
  network,
  namespace,
  group,
  item,
}: {
  network: Network;
  namespace: string;
  group: string;
  item: string;
}) {
  const state = useConsole();
  const path = paths.item(network, namespace, group, item);
  const loaded = useLoad(
    () =>
      state.api
        .get<string>(path, { raw: true })
        .then((answer) => valueForEditing(answer.data, answer.contentType)),
    [path],
  );
  const [type, setType] = useState<ValueType>("json");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (loaded.data === null) return;
    setType(loaded.data.type);
    setText(loaded.data.text);
  }, [loaded.data]);

  const save = (event: Event) => {
    event.preventDefault();
    const checked = checkValue(type, text);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setBusy(true);
    state.api
      .put(path, checked.body, { json: type === "json" })
      .then(() => {
        setError(null);
        state.notify(`Item ${item} saved.`);
        if (type === "json") setText(JSON.stringify(JSON.parse(checked.body), null, 2));
      })
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false));
  };

  const remove = () => {
    setBusy(true);
    state.api
      .delete(path)
      .then(() => {
        setConfirming(false);
        state.notify(`Item ${item} deleted.`);
        location.hash = hrefOf({ page: "group", network, namespace, group });
      })
      .catch((failure: unknown) => {
        setConfirming(false);
        state.notify(messageOf(failure), "error");
      })
      .finally(() => setBusy(false));
  };

  return (
    <section>
      <Breadcrumbs network={network} namespace={namespace} group={group} item={item} />
      <PageHeader title={`Item ${item}`} />
      <ErrorNote message={loaded.error} />
      {loaded.data === null && loaded.loading ? <Loading what={`item ${item}`} /> : null}
      {loaded.data !== null ? (
        <form class="form card" noValidate onSubmit={save} aria-labelledby="page-title">
          <ValueEditor type={type} text={text} error={error} onType={setType} onText={setText} />
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              Save
            </button>
            <button
              type="button"
              class="button button-danger"
              onClick={() => setConfirming(true)}
              disabled={busy}
            >
              Delete
            </button>
          </div>
        </form>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete item ${item}?`}
        confirmLabel={`Delete ${item}`}
        onConfirm={remove}
        onClose={() => setConfirming(false)}
        busy={busy}
      >
        <p>
          The item <strong>{item}</strong> leaves group {group} of {namespace} on {network}.
        </p>
      </ConfirmDialog>
    </section>
  );
}
