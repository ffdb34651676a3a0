import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { isLegacyDetail, modelOf, permissionLetters, statusOf, type TokenDetail } from "../lib/tokens.ts";
import {
  ConfirmDialog,
  ErrorNote,
  Loading,
  PageHeader,
  RelDay,
  StatusBadge,
  TableScroll,
} from "../ui/common.tsx";
import { useConsole, useLoad, useServerNow, useStore } from "../ui/hooks.ts";
import { JwtCard } from "./token-jwt.tsx";
import { type Grant, grantOf, networksOf } from "./token-summary.ts";
import { VerifyBox } from "./token-verify.tsx";

export function TokenPage({ name }: { name: string }) {
  const state = useConsole();
  const list = useStore(state.tokens);
  const details = useStore(state.details);
  const now = useServerNow();
  const listed = list.tokens?.find((token) => token.name === name);
  const entry = details.get(name);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<"refresh" | "revoke" | "download" | null>(null);

  useEffect(() => {
    if (listed !== undefined) state.loadDetails([listed]);
  });

  if (list.tokens === null) return <Loading what={`token ${name}`} />;
  if (listed === undefined) return <UnlistedToken name={name} />;

  const model = modelOf(listed);
  const status = statusOf(listed, now);
  const detail = entry?.detail ?? null;
  const grant = detail === null ? null : grantOf(detail);

  const refresh = () => {
    setBusy("refresh");
    state.api
      .post(paths.refreshToken(name), {})
      .then(() => {
        state.notify(`Token ${name} is being refreshed.`);
        void state.reloadTokens();
      })
      .catch((error: unknown) => state.notify(messageOf(error), "error"))
      .finally(() => setBusy(null));
  };
  const revoke = () => {
    setBusy("revoke");
    state.api
      .delete(paths.token(name))
      .then(() => {
        setConfirming(false);
        state.notify(`Token ${name} revoked.`);
        void state.reloadTokens();
        location.hash = "#/tokens";
      })
      .catch((error: unknown) => {
        setConfirming(false);
        state.notify(messageOf(error), "error");
      })
      .finally(() => setBusy(null));
  };
  const download = () => {
    setBusy("download");
    state.api
      .get<string>(paths.tokensFile(name))
      .then((answer) => {
        saveFile("edgekv_tokens.js", String(answer.data), "text/javascript");
        state.notify(`edgekv_tokens.js for ${name} downloaded.`);
      })
      .catch((error: unknown) => state.notify(messageOf(error), "error"))
      .finally(() => setBusy(null));
  };

  return (
    <section>
      <PageHeader title={`Token ${name}`}>
        {model === "enhanced" ? (
          <button
            type="button"
            class="button"
            onClick={refresh}
            disabled={busy !== null || status === "EXPIRED"}
          >
            Refresh
          </button>
        ) : null}
        <button
          type="button"
          class="button"
          onClick={download}
          disabled={busy !== null || status === "EXPIRED"}
        >
          Download edgekv_tokens.js
        </button>
        <button
          type="button"
          class="button button-danger"
          onClick={() => setConfirming(true)}
          disabled={busy !== null}
        >
          Revoke
        </button>
      </PageHeader>
      <p>
        <a href="#/tokens">Back to tokens</a>
      </p>
      <ConfirmDialog
        open={confirming}
        title={`Revoke token ${name}?`}
        confirmLabel={`Revoke ${name}`}
        onConfirm={revoke}
        onClose={() => setConfirming(false)}
        busy={busy === "revoke"}
      >
        <p>
          The data plane refuses <strong>{name}</strong> from now on, and EdgeWorkers that carry it lose
          access. This cannot be undone.
        </p>
      </ConfirmDialog>

      <div class="cards cards-wide">
        <section class="card" aria-labelledby="token-fields">
          <h2 id="token-fields">Details</h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd class="details-status">
              <StatusBadge status={status} />
            </dd>
            <dt>Model</dt>
            <dd>
              {model === "enhanced"
                ? "enhanced (held by reference, refreshed on a schedule)"
                : "legacy (a JWT)"}
            </dd>
            <dt>{model === "enhanced" ? "Reference (uuid)" : "uuid (jti)"}</dt>
            <dd>
              <code class="wrap">{listed.uuid}</code>
            </dd>
            {detail !== null && !isLegacyDetail(detail) ? (
              <>
                <dt>CP code</dt>
                <dd>{detail.cpcode}</dd>
              </>
            ) : null}
            <dt>Issued</dt>
            <dd>
              <RelDay date={listed.issueDate} now={now} /> <span class="muted">({listed.issueDate})</span>
            </dd>
            {model === "enhanced" ? (
              <>
                <dt>Latest refresh</dt>
                <dd>
                  <RelDay date={listed.latestRefreshDate} now={now} />
                </dd>
                <dt>Next scheduled refresh</dt>
                <dd>
                  <RelDay date={listed.nextScheduledRefreshDate} now={now} />{" "}
                  {listed.nextScheduledRefreshDate ? (
                    <span class="muted">({listed.nextScheduledRefreshDate})</span>
                  ) : null}
                </dd>
              </>
            ) : (
              <>
                <dt>Expiry</dt>
                <dd>
                  <RelDay date={listed.expiry} now={now} />{" "}
                  <span class="muted">({listed.expiry}, 23:59:59 UTC)</span>
                </dd>
              </>
            )}
            {grant !== null ? <GrantFacts grant={grant} /> : null}
          </dl>
          {entry === undefined || (detail === null && entry.error === null) ? (
            <Loading what="details" />
          ) : null}
          <ErrorNote message={entry?.error?.detail ?? null} />
          {grant !== null ? <PermissionTable grant={grant} /> : null}
        </section>
        {detail !== null && isLegacyDetail(detail) ? <JwtCard detail={detail} now={now} /> : null}
      </div>
      <VerifyBox detail={detail} grant={grant} uuid={listed.uuid} />
    </section>
  );
}

/**
 * A token not in the list: just created (the list is catching up), or not there at all. Asking for
 * it tells which.
 */
function UnlistedToken({ name }: { name: string }) {
  const state = useConsole();
  const found = useLoad(
    () =>
      state.api.get<TokenDetail>(paths.token(name)).then((answer) => {
        void state.reloadTokens();
        return answer.data;
      }),
    [name],
  );
  if (found.loading || found.data !== null) return <Loading what={`token ${name}`} />;
  return (
    <section>
      <PageHeader title={`Token ${name}`} />
      <ErrorNote message={found.error} />
      <p>
        <a href="#/tokens">Back to tokens</a>
      </p>
    </section>
  );
}

function GrantFacts({ grant }: { grant: Grant }) {
  return (
    <>
      <dt>Networks</dt>
      <dd>{networksOf(grant)}</dd>
      <dt>EdgeWorker ids</dt>
      <dd>{grant.edgeWorkerIds === null ? "all" : grant.edgeWorkerIds.join(", ")}</dd>
    </>
  );
}

function PermissionTable({ grant }: { grant: Grant }) {
  const entries = Object.entries(grant.namespacePermissions);
  return (
    <TableScroll label="Namespace permissions">
      <table class="table table-compact">
        <caption>Namespaces</caption>
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col">Read</th>
            <th scope="col">Write</th>
            <th scope="col">Delete</th>
            <th scope="col">r/w/d</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([namespace, permissions]) => (
            <tr key={namespace}>
              <th scope="row">{namespace}</th>
              {["r", "w", "d"].map((letter) => (
                <td key={letter}>{permissions.includes(letter) ? "yes" : "no"}</td>
              ))}
              <td>
                <code class="perm">{permissionLetters(permissions)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Hands text to the browser as a downloaded file. */
function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
