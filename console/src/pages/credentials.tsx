import { useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import type { ApiClient, CreatedClient } from "../api/types.ts";
import { EVERY_CAPABILITY } from "../lib/capabilities.ts";
import {
  Badge,
  ConfirmDialog,
  CopyBlock,
  Empty,
  ErrorNote,
  Loading,
  PageHeader,
  RelTime,
  TableScroll,
} from "../ui/common.tsx";
import { useConsole, useLoad, useServerNow } from "../ui/hooks.ts";
import { CreateClientForm } from "./credentials-create.tsx";

export function CredentialsPage() {
  const state = useConsole();
  const now = useServerNow();
  const loaded = useLoad(
    () =>
      state.api
        .get<{ clients: ApiClient[] }>(paths.clients, { noAccount: true })
        .then((answer) => answer.data.clients),
    [],
  );
  const [created, setCreated] = useState<CreatedClient | null>(null);
  const [revoking, setRevoking] = useState<ApiClient | null>(null);
  const [busy, setBusy] = useState(false);

  const revoke = () => {
    if (revoking === null) return;
    const client = revoking;
    setBusy(true);
    state.api
      .post(paths.revokeClient(client.clientToken), {}, { noAccount: true })
      .then(() => {
        state.notify(`API client ${client.clientToken} revoked.`);
        loaded.reload();
      })
      .catch((error: unknown) => state.notify(messageOf(error), "error"))
      .finally(() => {
        setBusy(false);
        setRevoking(null);
      });
  };

  return (
    <section>
      <PageHeader title="Credentials" />
      <p class="muted">
        API clients sign requests with EdgeGrid (an <code>.edgerc</code> section). Their secrets are stored
        sealed and shown once, when the client is created.
      </p>
      {created !== null ? <CreatedPanel created={created} onDone={() => setCreated(null)} /> : null}
      <ErrorNote message={loaded.error} />
      {loaded.data === null && loaded.loading ? <Loading what="API clients" /> : null}
      {loaded.data !== null && loaded.data.length === 0 ? <Empty>No API clients.</Empty> : null}
      {loaded.data !== null && loaded.data.length > 0 ? (
        <TableScroll label="API clients">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Client token</th>
                <th scope="col">Description</th>
                <th scope="col">Account</th>
                <th scope="col">Capabilities</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((client) => {
                const own = client.clientToken === state.session.clientToken;
                return (
                  <tr key={client.clientToken}>
                    <th scope="row">
                      <code class="wrap">{client.clientToken}</code>
                    </th>
                    <td>{client.description || <span class="muted">none</span>}</td>
                    <td>
                      {client.account}
                      {client.canSwitchAccounts ? <span class="muted"> (can switch)</span> : null}
                    </td>
                    <td>
                      <Capabilities list={client.capabilities} />
                    </td>
                    <td>
                      <RelTime iso={client.createdAt} now={now} />
                    </td>
                    <td>
                      <RelTime iso={client.lastUsedAt} now={now} />
                    </td>
                    <td>
                      {client.enabled ? <Badge tone="ok">ACTIVE</Badge> : <Badge tone="off">REVOKED</Badge>}
                      {own ? <span class="muted"> (this console)</span> : null}
                    </td>
                    <td>
                      {client.enabled && !own ? (
                        <button
                          type="button"
                          class="button button-small button-danger"
                          onClick={() => setRevoking(client)}
                        >
                          Revoke<span class="visually-hidden"> {client.clientToken}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke API client ${revoking?.clientToken ?? ""}?`}
        confirmLabel={`Revoke credential ${revoking?.clientToken ?? ""}`}
        onConfirm={revoke}
        onClose={() => setRevoking(null)}
        busy={busy}
      >
        <p>Requests signed with this client are refused from now on. This cannot be undone.</p>
      </ConfirmDialog>
      <CreateClientForm
        onCreated={(answer) => {
          setCreated(answer);
          loaded.reload();
        }}
      />
    </section>
  );
}

function Capabilities({ list }: { list: readonly string[] }) {
  const every = EVERY_CAPABILITY.every((capability) => list.includes(capability));
  if (every) return <span>all</span>;
  return (
    <details class="capabilities">
      <summary>{list.length} capabilities</summary>
      <ul>
        {list.map((capability) => (
          <li key={capability}>
            <code>{capability}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

function CreatedPanel({ created, onDone }: { created: CreatedClient; onDone(): void }) {
  const state = useConsole();
  return (
    <section class="card card-highlight" aria-labelledby="created-title">
      <h2 id="created-title">API client {created.client.clientToken} created</h2>
      <p>
        <strong>The secret is shown only now.</strong> Copy the <code>.edgerc</code> section into your{" "}
        <code>~/.edgerc</code> (or the project's) before leaving this page.
      </p>
      <CopyBlock
        label="Client secret"
        text={created.clientSecret}
        rows={1}
        onCopied={() => state.notify("Secret copied.")}
      />
      <CopyBlock
        label=".edgerc section"
        text={created.edgerc}
        onCopied={() => state.notify(".edgerc section copied.")}
      />
      <button type="button" class="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
