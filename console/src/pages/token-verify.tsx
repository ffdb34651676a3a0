import { useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import type { VerifyAnswer } from "../api/types.ts";
import { isLegacyDetail, type TokenDetail } from "../lib/tokens.ts";
import { verdictText, verifyRequest } from "../lib/verify.ts";
import { useConsole } from "../ui/hooks.ts";
import type { Grant } from "./token-summary.ts";

const OPERATIONS = ["read", "write", "delete"] as const;

/** Asks the server whether a credential works, and for which request. */
export function VerifyBox({
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
