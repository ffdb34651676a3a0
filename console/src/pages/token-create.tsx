import { useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { type FieldHint, fieldOf } from "../lib/problem.ts";
import {
  emptyRow,
  type NamespaceRow,
  type TokenForm,
  tokenFormFields,
  tokenRequest,
} from "../lib/token-form.ts";
import { ErrorNote, FieldError, PageHeader, TextField } from "../ui/common.tsx";
import { useConsole } from "../ui/hooks.ts";

/** Where an error goes when the server names no field: read from its words. */
const HINTS: readonly FieldHint[] = [
  [/token name|token with name/i, "name"],
  [/expir/i, "expiry"],
  [/edgeworker/i, "restrictToEdgeWorkerIds"],
  [/namespace/i, "namespacePermissions"],
  [/allowOnStaging/, "allowOnStaging"],
  [/allowOnProduction|network/i, "allowOnProduction"],
];

const PERMISSIONS = [
  ["r", "Read"],
  ["w", "Write"],
  ["d", "Delete"],
] as const;

export function TokenCreatePage() {
  const state = useConsole();
  const [form, setForm] = useState<TokenForm>({
    name: "",
    allowOnStaging: true,
    allowOnProduction: false,
    namespaces: [emptyRow("default")],
    edgeWorkerIds: "",
    expiry: "",
  });
  const [errors, setErrors] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (change: Partial<TokenForm>) => setForm((current) => ({ ...current, ...change }));
  const updateRow = (index: number, change: Partial<NamespaceRow>) =>
    update({ namespaces: form.namespaces.map((row, at) => (at === index ? { ...row, ...change } : row)) });
  const errorFor = (field: string) => (errors?.field === field ? errors.message : null);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    state.api
      .post<{ name: string }>(paths.tokens, tokenRequest(form))
      .then((answer) => {
        state.notify(`Token ${answer.data.name} created.`);
        void state.reloadTokens();
        location.hash = `#/tokens/${encodeURIComponent(answer.data.name)}`;
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError) {
          const field = fieldOf(error.problem, tokenFormFields(form), HINTS);
          setErrors({ field, message: error.problem.detail });
          // Take the keyboard to the field in error.
          requestAnimationFrame(() =>
            document.querySelector<HTMLElement>('[aria-invalid="true"], .form-error')?.focus(),
          );
        } else setErrors({ field: null, message: messageOf(error) });
      })
      .finally(() => setBusy(false));
  };

  const networksError = errorFor("allowOnStaging") ?? errorFor("allowOnProduction");
  const namespacesError = errorFor("namespacePermissions");

  return (
    <section>
      <PageHeader title="Create token" />
      <p>
        <a href="#/tokens">Back to tokens</a>
      </p>
      <form class="form card form-narrow" noValidate onSubmit={submit} aria-labelledby="page-title">
        {errors !== null && errors.field === null ? (
          <div class="form-error" tabIndex={-1}>
            <ErrorNote message={errors.message} />
          </div>
        ) : null}
        <TextField
          label="Name"
          value={form.name}
          onInput={(event) => update({ name: event.currentTarget.value })}
          error={errorFor("name")}
          hint="1 to 32 letters, digits, _ or -"
          autocomplete="off"
          required
        />

        <fieldset class="fieldset" aria-describedby={networksError ? "networks-error" : undefined}>
          <legend>Networks</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={form.allowOnStaging}
              onChange={(event) => update({ allowOnStaging: event.currentTarget.checked })}
              aria-invalid={errorFor("allowOnStaging") ? "true" : undefined}
              aria-describedby={networksError ? "networks-error" : undefined}
            />
            Allow on staging
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={form.allowOnProduction}
              onChange={(event) => update({ allowOnProduction: event.currentTarget.checked })}
              aria-invalid={errorFor("allowOnProduction") ? "true" : undefined}
              aria-describedby={networksError ? "networks-error" : undefined}
            />
            Allow on production
          </label>
          <FieldError id="networks-error" error={networksError} />
        </fieldset>

        <fieldset class="fieldset" aria-describedby={namespacesError ? "namespaces-error" : undefined}>
          <legend>Namespaces</legend>
          <FieldError id="namespaces-error" error={namespacesError} />
          {form.namespaces.map((row, index) => {
            const rowError = errorFor(`namespacePermissions.${row.namespace.trim()}`);
            const inputId = `ns-row-${index}`;
            const errorId = `${inputId}-error`;
            const invalid = rowError !== null || (namespacesError !== null && form.namespaces.length === 1);
            return (
              <div class={`ns-row${rowError ? " field-invalid" : ""}`} key={index}>
                <div class="field">
                  <label for={inputId}>Namespace</label>
                  <input
                    id={inputId}
                    value={row.namespace}
                    onInput={(event) => updateRow(index, { namespace: event.currentTarget.value })}
                    aria-invalid={invalid ? "true" : undefined}
                    aria-describedby={rowError ? errorId : namespacesError ? "namespaces-error" : undefined}
                    autocomplete="off"
                  />
                </div>
                <fieldset class="perm-boxes" aria-describedby={rowError ? errorId : undefined}>
                  <legend class="visually-hidden">Permissions on {row.namespace || "this namespace"}</legend>
                  {PERMISSIONS.map(([letter, word]) => (
                    <label class="check" key={letter} title={word}>
                      <input
                        type="checkbox"
                        checked={row[letter]}
                        onChange={(event) => updateRow(index, { [letter]: event.currentTarget.checked })}
                      />
                      {letter}
                    </label>
                  ))}
                </fieldset>
                {form.namespaces.length > 1 ? (
                  <button
                    type="button"
                    class="button button-small"
                    onClick={() => update({ namespaces: form.namespaces.filter((_, at) => at !== index) })}
                  >
                    Remove<span class="visually-hidden"> namespace {row.namespace}</span>
                  </button>
                ) : null}
                <FieldError id={errorId} error={rowError} />
              </div>
            );
          })}
          <button
            type="button"
            class="button button-small"
            onClick={() => update({ namespaces: [...form.namespaces, emptyRow()] })}
          >
            Add namespace
          </button>
        </fieldset>

        <TextField
          label="EdgeWorker ids"
          value={form.edgeWorkerIds}
          onInput={(event) => update({ edgeWorkerIds: event.currentTarget.value })}
          error={errorFor("restrictToEdgeWorkerIds")}
          hint="Optional: up to 8 ids, separated by commas. Empty: every EdgeWorker."
          inputMode="numeric"
          autocomplete="off"
        />
        <TextField
          label="Expiry"
          date
          value={form.expiry}
          onInput={(event) => update({ expiry: event.currentTarget.value })}
          error={errorFor("expiry")}
          hint="Optional: a date makes a legacy token (a JWT) that stops working at its end (UTC). Empty: an enhanced token, refreshed on a schedule."
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            Create token
          </button>
        </div>
      </form>
    </section>
  );
}
