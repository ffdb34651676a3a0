import { useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import type { CreatedClient } from "../api/types.ts";
import { EVERY_CAPABILITY } from "../lib/capabilities.ts";
import { fieldOf } from "../lib/problem.ts";
import { ErrorNote, FieldError, TextField } from "../ui/common.tsx";
import { useConsole } from "../ui/hooks.ts";

type ClientField = "account" | "capabilities" | "description";

/** A new API client for an account; the answer (with its secret) goes to `onCreated`. */
export function CreateClientForm({ onCreated }: { onCreated(answer: CreatedClient): void }) {
  const state = useConsole();
  const [account, setAccount] = useState(state.session.account);
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<readonly string[]>(["VIEW_TOKEN"]);
  const [canSwitch, setCanSwitch] = useState(false);
  const [error, setError] = useState<{ field: ClientField | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const errorFor = (field: ClientField) => (error?.field === field ? error.message : null);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    state.api
      .post<CreatedClient>(
        paths.clients,
        {
          account,
          capabilities: all ? ["all"] : chosen,
          ...(description.trim() === "" ? {} : { description: description.trim() }),
          canSwitchAccounts: canSwitch,
        },
        { noAccount: true },
      )
      .then((answer) => {
        setError(null);
        setDescription("");
        state.notify(`API client ${answer.data.client.clientToken} created.`);
        onCreated(answer.data);
      })
      .catch((failure: unknown) => {
        const field =
          failure instanceof ApiError
            ? (fieldOf(
                failure.problem,
                ["account", "capabilities", "description"],
                [
                  [/capabilit/i, "capabilities"],
                  [/account/i, "account"],
                  [/description/i, "description"],
                ],
              ) as ClientField | null)
            : null;
        setError({ field, message: messageOf(failure) });
      })
      .finally(() => setBusy(false));
  };

  const capabilitiesError = errorFor("capabilities");
  const accountError = errorFor("account");
  return (
    <form class="form card" noValidate onSubmit={submit} aria-labelledby="create-client-title">
      <h2 id="create-client-title">New API client</h2>
      {error !== null && error.field === null ? <ErrorNote message={error.message} /> : null}
      <div class="form-row">
        <div class={`field${accountError ? " field-invalid" : ""}`}>
          <label for="client-account">Client account</label>
          <select
            id="client-account"
            value={account}
            onChange={(event) => setAccount(event.currentTarget.value)}
            aria-invalid={accountError ? "true" : undefined}
            aria-describedby={accountError ? "client-account-error" : undefined}
          >
            {(state.session.accounts.length > 0
              ? state.session.accounts.map((item) => item.id)
              : [account]
            ).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
          <FieldError id="client-account-error" error={accountError} />
        </div>
        <TextField
          label="Description"
          value={description}
          onInput={(event) => setDescription(event.currentTarget.value)}
          error={errorFor("description")}
          autocomplete="off"
        />
      </div>
      <fieldset
        class="fieldset"
        aria-describedby={capabilitiesError ? "client-capabilities-error" : undefined}
      >
        <legend>Capabilities</legend>
        <label class="check">
          <input type="checkbox" checked={all} onChange={(event) => setAll(event.currentTarget.checked)} />
          All capabilities
        </label>
        {all ? null : (
          <div class="capability-grid">
            {EVERY_CAPABILITY.map((capability) => (
              <label class="check" key={capability}>
                <input
                  type="checkbox"
                  checked={chosen.includes(capability)}
                  onChange={(event) =>
                    setChosen(
                      event.currentTarget.checked
                        ? [...chosen, capability]
                        : chosen.filter((item) => item !== capability),
                    )
                  }
                />
                <code>{capability}</code>
              </label>
            ))}
          </div>
        )}
        <FieldError id="client-capabilities-error" error={capabilitiesError} />
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          checked={canSwitch}
          onChange={(event) => setCanSwitch(event.currentTarget.checked)}
        />
        Can switch accounts
      </label>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          Create credential
        </button>
      </div>
    </form>
  );
}
