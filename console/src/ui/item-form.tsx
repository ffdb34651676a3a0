import { useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { checkValue, type ValueType } from "../lib/item-value.ts";
import { fieldOf } from "../lib/problem.ts";
import { hrefOf, type Network } from "../lib/routes.ts";
import { ErrorNote, TextField } from "./common.tsx";
import { useConsole } from "./hooks.ts";
import { ValueEditor } from "./value-editor.tsx";

type Field = "group" | "key" | "value";

/** Writes a new item (or over an existing one) and opens it. */
export function NewItemForm({
  network,
  namespace,
  group,
}: {
  network: Network;
  namespace: string;
  group?: string;
}) {
  const state = useConsole();
  const [groupName, setGroupName] = useState(group ?? "");
  const [key, setKey] = useState("");
  const [type, setType] = useState<ValueType>("json");
  const [text, setText] = useState("{}");
  const [error, setError] = useState<{ field: Field | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const errorFor = (field: Field) => (error?.field === field ? error.message : null);

  const submit = (event: Event) => {
    event.preventDefault();
    if (groupName.trim() === "") return setError({ field: "group", message: "Give the group a name." });
    if (key.trim() === "") return setError({ field: "key", message: "Give the item a key." });
    const checked = checkValue(type, text);
    if (!checked.ok) return setError({ field: "value", message: checked.error });
    setBusy(true);
    const target = { network, namespace, group: groupName.trim(), item: key.trim() };
    state.api
      .put(paths.item(network, namespace, target.group, target.item), checked.body, { json: type === "json" })
      .then(() => {
        state.notify(`Item ${target.item} saved.`);
        location.hash = hrefOf({ page: "item", ...target });
      })
      .catch((failure: unknown) => {
        const field =
          failure instanceof ApiError
            ? (fieldOf(
                failure.problem,
                ["group", "key", "value"],
                [
                  [/group/i, "group"],
                  [/item key|key/i, "key"],
                  [/value|too large/i, "value"],
                ],
              ) as Field | null)
            : null;
        setError({ field, message: messageOf(failure) });
      })
      .finally(() => setBusy(false));
  };

  return (
    <form class="form" noValidate onSubmit={submit} aria-labelledby="new-item-title">
      <h2 id="new-item-title">Write an item</h2>
      {error !== null && error.field === null ? <ErrorNote message={error.message} /> : null}
      <div class="form-row">
        <TextField
          label="Group"
          value={groupName}
          onInput={(event) => setGroupName(event.currentTarget.value)}
          error={errorFor("group")}
          autocomplete="off"
        />
        <TextField
          label="Key"
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          error={errorFor("key")}
          autocomplete="off"
        />
      </div>
      <ValueEditor
        type={type}
        text={text}
        error={errorFor("value")}
        onType={setType}
        onText={setText}
        rows={6}
      />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
