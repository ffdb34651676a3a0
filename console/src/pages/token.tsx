import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import type { VerifyAnswer } from "../api/types.ts";
import { decodeJwt } from "../lib/jwt.ts";
import { formatRelative, formatUtc } from "../lib/relative-time.ts";
import { isLegacyDetail, modelOf, permissionLetters, statusOf, type TokenDetail } from "../lib/tokens.ts";
import { verdictText, verifyRequest } from "../lib/verify.ts";
import {
  ConfirmDialog,
  CopyBlock,
  ErrorNote,
  Loading,
  PageHeader,
  RelDay,
  StatusBadge,
  TableScroll,
} from "../ui/common.tsx";
import { useConsole, useLoad, useServerNow, useStore } from "../ui/hooks.ts";
import { type Grant, grantOf, networksOf } from "./token-summary.ts";

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

function JwtCard({ detail, now }: { detail: TokenDetail & { value: string }; now: number }) {
  const state = useConsole();
  const decoded = decodeJwt(detail.value);
  const claimTime = (claims: Record<string, unknown>, claim: string) => {
    const value = claims[claim];
    return typeof value === "number"
      ? `${formatUtc(value * 1000)} (${formatRelative(value * 1000, now)})`
      : null;
  };
  return (
    <section class="card" aria-labelledby="token-jwt">
      <h2 id="token-jwt">JWT</h2>
      <CopyBlock
        label="Token value (JWT)"
        text={detail.value}
        rows={4}
        onCopied={() => state.notify("Token value copied.")}
      />
      {decoded.ok ? (
        <>
          <h3>Header</h3>
          <pre class="code">{JSON.stringify(decoded.header, null, 2)}</pre>
          <h3>Claims</h3>
          <pre class="code">{JSON.stringify(decoded.claims, null, 2)}</pre>
          <dl class="facts">
            <dt>Issued at (iat)</dt>
            <dd>{claimTime(decoded.claims, "iat") ?? "—"}</dd>
            <dt>Expires at (exp)</dt>
            <dd>{claimTime(decoded.claims, "exp") ?? "—"}</dd>
          </dl>
        </>
      ) : (
        <ErrorNote message={decoded.reason} />
      )}
    </section>
  );
}

const OPERATIONS = ["read", "write", "delete"] as const;

function VerifyBox({
  detail,
  grant,
  uuid,
}: {
  detail: TokenDetail | null;
  grant: Grant | null;
  uuid: string;
}) {
  const state = useConsole();
  const initial = detail !== null && isLegacyDetail(detail) ? detail.value : uuid;
  const namespaces = grant === null ? [] : Object.keys(grant.namespacePermissions);
  const [credential, setCredential] = useState<string | null>(null);
  const [network, setNetwork] = useState(
    grant?.allowOnProduction && !grant.allowOnStaging ? "production" : "staging",
  );
  const [namespace, setNamespace] = useState<string | null>(null);
  const [operation, setOperation] = useState("read");
  const [edgeWorkerId, setEdgeWorkerId] = useState("");
  const [verdict, setVerdict] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const body = verifyRequest({
      credential: credential ?? initial,
      network,
      namespace: namespace ?? namespaces[0] ?? "",
      operation,
      edgeWorkerId,
    });
    state.api
      .post<VerifyAnswer>(paths.verify, body)
      .then((answer) =>
        setVerdict({
          text: verdictText(answer.data),
          ok: answer.data.valid && answer.data.access?.allowed !== false,
        }),
      )
      .catch((error: unknown) => setVerdict({ text: messageOf(error), ok: false }))
      .finally(() => setBusy(false));
  };

  return (
    <section class="card" aria-labelledby="verify-title">
      <h2 id="verify-title">Verify a credential</h2>
      <p class="muted">Ask the server whether a JWT or a reference works, and for which request.</p>
      <form class="form form-grid" noValidate onSubmit={submit}>
        <div class="field field-span">
          <label for="verify-credential">Token or reference</label>
          <textarea
            id="verify-credential"
            rows={3}
            spellcheck={false}
            value={credential ?? initial}
            onInput={(event) => setCredential(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="verify-network">Network</label>
          <select
            id="verify-network"
            value={network}
            onChange={(event) => setNetwork(event.currentTarget.value)}
          >
            <option value="staging">staging</option>
            <option value="production">production</option>
          </select>
        </div>
        <div class="field">
          <label for="verify-namespace">Namespace</label>
          <input
            id="verify-namespace"
            list="verify-namespaces"
            value={namespace ?? namespaces[0] ?? ""}
            onInput={(event) => setNamespace(event.currentTarget.value)}
            autocomplete="off"
          />
          <datalist id="verify-namespaces">
            {namespaces.map((item) => (
              <option key={item} value={item} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="verify-operation">Operation</label>
          <select
            id="verify-operation"
            value={operation}
            onChange={(event) => setOperation(event.currentTarget.value)}
          >
            {OPERATIONS.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="verify-ewid">EdgeWorker id</label>
          <input
            id="verify-ewid"
            inputMode="numeric"
            value={edgeWorkerId}
            onInput={(event) => setEdgeWorkerId(event.currentTarget.value)}
            autocomplete="off"
          />
        </div>
        <div class="form-actions field-span">
          <button type="submit" class="button button-primary" disabled={busy}>
            Verify
          </button>
        </div>
      </form>
      <div role="status" class="verdict-region">
        {verdict === null ? null : (
          <p class={`verdict ${verdict.ok ? "verdict-ok" : "verdict-bad"}`}>{verdict.text}</p>
        )}
      </div>
    </section>
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
