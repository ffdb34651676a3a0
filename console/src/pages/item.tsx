import { useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { checkValue, type ValueType, valueForEditing } from "../lib/item-value.ts";
import { hrefOf, type Network } from "../lib/routes.ts";
import { Breadcrumbs } from "../ui/breadcrumbs.tsx";
import { ConfirmDialog, ErrorNote, Loading, PageHeader } from "../ui/common.tsx";
import { useConsole, useLoad } from "../ui/hooks.ts";
import { ValueEditor } from "../ui/value-editor.tsx";

interface ItemAddress {
  readonly network: Network;
  readonly namespace: string;
  readonly group: string;
  readonly item: string;
}

export function ItemPage(address: ItemAddress) {
  const { network, namespace, group, item } = address;
  const state = useConsole();
  const path = paths.item(network, namespace, group, item);
  const loaded = useLoad(
    () =>
      state.api
        .get<string>(path, { raw: true })
        .then((answer) => valueForEditing(answer.data, answer.contentType)),
    [path],
  );
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

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
        <ItemEditor
          path={path}
          item={item}
          initial={loaded.data}
          busy={busy}
          onDelete={() => setConfirming(true)}
        />
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

/** The value as read, edited and saved; JSON is checked before it is sent. */
function ItemEditor({
  path,
  item,
  initial,
  busy: deleting,
  onDelete,
}: {
  path: string;
  item: string;
  initial: { type: ValueType; text: string };
  busy: boolean;
  onDelete(): void;
}) {
  const state = useConsole();
  const [type, setType] = useState(initial.type);
  const [text, setText] = useState(initial.text);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = (event: Event) => {
    event.preventDefault();
    const checked = checkValue(type, text);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setSaving(true);
    state.api
      .put(path, checked.body, { json: type === "json" })
      .then(() => {
        setError(null);
        state.notify(`Item ${item} saved.`);
        if (type === "json") setText(JSON.stringify(JSON.parse(checked.body), null, 2));
      })
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setSaving(false));
  };

  return (
    <form class="form card" noValidate onSubmit={save} aria-labelledby="page-title">
      <ValueEditor type={type} text={text} error={error} onType={setType} onText={setText} />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={saving || deleting}>
          Save
        </button>
        <button type="button" class="button button-danger" onClick={onDelete} disabled={saving || deleting}>
          Delete
        </button>
      </div>
    </form>
  );
}
