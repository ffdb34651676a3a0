import { useEffect, useState } from "preact/hooks";
import { filterTokens, type ListedToken, modelOf, permissionLetters, statusOf } from "../lib/tokens.ts";
import type { DetailEntry } from "../state.ts";
import { Empty, ErrorNote, Loading, PageHeader, RelDay, StatusBadge, TableScroll } from "../ui/common.tsx";
import { useConsole, useServerNow, useStore } from "../ui/hooks.ts";
import { grantOf, networksOf } from "./token-summary.ts";

export function TokensPage() {
  const state = useConsole();
  const list = useStore(state.tokens);
  const details = useStore(state.details);
  const now = useServerNow();
  const [name, setName] = useState("");
  const [includeExpired, setIncludeExpired] = useState(false);

  const shown = list.tokens === null ? null : filterTokens(list.tokens, { name, includeExpired }, now);
  useEffect(() => {
    if (shown !== null) state.loadDetails(shown);
  });

  return (
    <section>
      <PageHeader title="Tokens">
        <a class="button button-primary" href="#/create-token">
          New token
        </a>
      </PageHeader>
      <div class="toolbar">
        <div class="field field-inline">
          <label for="token-filter">Filter by name</label>
          <input
            id="token-filter"
            type="search"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
            autocomplete="off"
          />
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={includeExpired}
            onChange={(event) => setIncludeExpired(event.currentTarget.checked)}
          />
          Include expired
        </label>
      </div>
      <ErrorNote message={list.error} />
      {shown === null ? (
        list.error === null ? (
          <Loading what="tokens" />
        ) : null
      ) : shown.length === 0 ? (
        <Empty>
          {list.tokens?.length === 0 ? (
            <>
              No tokens yet. <a href="#/create-token">Create one</a>.
            </>
          ) : (
            "No token matches."
          )}
        </Empty>
      ) : (
        <TableScroll label="Tokens">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Networks</th>
                <th scope="col">Namespaces</th>
                <th scope="col">EdgeWorker ids</th>
                <th scope="col">Expiry or next refresh</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((token) => (
                <TokenRow key={token.name} token={token} entry={details.get(token.name)} now={now} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function TokenRow({
  token,
  entry,
  now,
}: {
  token: ListedToken;
  entry: DetailEntry | undefined;
  now: number;
}) {
  const model = modelOf(token);
  const grant = entry?.detail ? grantOf(entry.detail) : null;
  const pending = <span class="muted">…</span>;
  const unknown = <span class="muted">—</span>;
  const fallback = entry === undefined || (entry.detail === null && entry.error === null) ? pending : unknown;
  return (
    <tr>
      <th scope="row" class="nowrap">
        <a href={`#/tokens/${encodeURIComponent(token.name)}`}>{token.name}</a>
      </th>
      <td>{model}</td>
      <td>
        <StatusBadge status={statusOf(token, now)} />
      </td>
      <td>{grant ? networksOf(grant) : fallback}</td>
      <td>
        {grant ? (
          <ul class="perm-list">
            {Object.entries(grant.namespacePermissions).map(([namespace, permissions]) => (
              <li key={namespace}>
                <span>{namespace}</span>{" "}
                <code class="perm" title={`permissions: ${permissions.join(", ") || "none"}`}>
                  {permissionLetters(permissions)}
                </code>
              </li>
            ))}
          </ul>
        ) : (
          fallback
        )}
      </td>
      <td>{grant ? (grant.edgeWorkerIds?.join(", ") ?? "all") : fallback}</td>
      <td>
        {model === "enhanced" ? (
          <>
            refresh <RelDay date={token.nextScheduledRefreshDate} now={now} />
          </>
        ) : (
          <>
            {statusOf(token, now) === "EXPIRED" ? "expired " : "expires "}
            <RelDay date={token.expiry} now={now} />
          </>
        )}
      </td>
    </tr>
  );
}
