import { useState } from "preact/hooks";
import { durationSeconds } from "../../../src/duration.ts";
import { type Api, ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import { type Initialization, NETWORK_LABELS } from "../api/types.ts";
import { formatUtc } from "../lib/relative-time.ts";
import { NETWORKS, type Network } from "../lib/routes.ts";
import { countByStatus, TOKEN_STATUSES } from "../lib/tokens.ts";
import { Badge, ErrorNote, Loading, PageHeader, ServerTime, StatusBadge, TextField } from "../ui/common.tsx";
import { useConsole, useLoad, useServerNow, useStore } from "../ui/hooks.ts";

interface Overview {
  readonly initialization: Initialization;
  readonly namespaces: Readonly<Record<Network, number | null>>;
}

async function loadOverview(api: Api): Promise<Overview> {
  let initialization: Initialization;
  try {
    initialization = (await api.get<Initialization>(paths.initialize)).data;
  } catch (error) {
    // Not initialized answers 404 with the same shape.
    if (error instanceof ApiError && error.problem.status === 404) {
      return {
        initialization: {
          accountStatus: "UNINITIALIZED",
          cpcode: null,
          productionStatus: "UNINITIALIZED",
          stagingStatus: "UNINITIALIZED",
        },
        namespaces: { staging: null, production: null },
      };
    }
    throw error;
  }
  const counts = await Promise.all(
    NETWORKS.map((network) =>
      api.get<{ namespaces: unknown[] }>(paths.namespaces(network)).then(
        (answer) => answer.data.namespaces.length,
        () => null,
      ),
    ),
  );
  return { initialization, namespaces: { staging: counts[0] ?? null, production: counts[1] ?? null } };
}

export function OverviewPage() {
  const state = useConsole();
  const account = useStore(state.account);
  const tokens = useStore(state.tokens);
  const clock = useStore(state.clock);
  const now = useServerNow();
  const overview = useLoad(() => loadOverview(state.api), []);
  const [initializing, setInitializing] = useState(false);

  const initialize = () => {
    setInitializing(true);
    state.api
      .put(paths.initialize, {})
      .then(() => {
        state.notify(`EdgeKV is initialized on account ${account}.`);
        overview.reload();
      })
      .catch((error: unknown) => state.notify(messageOf(error), "error"))
      .finally(() => setInitializing(false));
  };

  const counts = tokens.tokens === null ? null : countByStatus(tokens.tokens, now);
  const init = overview.data?.initialization;

  return (
    <section>
      <PageHeader title="Overview" />
      <div class="cards">
        <section class="card" aria-labelledby="ov-account">
          <h2 id="ov-account">Account</h2>
          {overview.loading && init === undefined ? <Loading what="the account" /> : null}
          <ErrorNote message={overview.error} />
          {init ? (
            <dl class="facts">
              <dt>Account</dt>
              <dd>{account}</dd>
              <dt>Status</dt>
              <dd>
                <Badge tone={init.accountStatus === "INITIALIZED" ? "ok" : "off"}>{init.accountStatus}</Badge>
              </dd>
              <dt>CP code</dt>
              <dd>{init.cpcode ?? <span class="muted">none</span>}</dd>
              <dt>Data access</dt>
              <dd>
                {init.dataAccessPolicy === undefined
                  ? "—"
                  : init.dataAccessPolicy.restrictDataAccess
                    ? "restricted"
                    : "not restricted"}
              </dd>
            </dl>
          ) : null}
          {init?.accountStatus === "UNINITIALIZED" ? (
            <button type="button" class="button button-primary" onClick={initialize} disabled={initializing}>
              Initialize EdgeKV
            </button>
          ) : null}
        </section>

        <section class="card" aria-labelledby="ov-tokens">
          <h2 id="ov-tokens">Tokens</h2>
          {counts === null ? (
            <Loading what="tokens" />
          ) : (
            <ul class="stat-list">
              {TOKEN_STATUSES.map((status) => (
                <li key={status}>
                  <StatusBadge status={status} />
                  <span class="stat">{counts[status]}</span>
                </li>
              ))}
            </ul>
          )}
          <ErrorNote message={tokens.error} />
          <p>
            <a href="#/tokens">All tokens</a> · <a href="#/create-token">New token</a>
          </p>
        </section>

        <section class="card" aria-labelledby="ov-namespaces">
          <h2 id="ov-namespaces">Namespaces</h2>
          {overview.data ? (
            <ul class="stat-list">
              {NETWORKS.map((network) => (
                <li key={network}>
                  <a href={`#/namespaces/${network}`}>{NETWORK_LABELS[network]}</a>
                  <span class="stat">{overview.data?.namespaces[network] ?? "—"}</span>
                </li>
              ))}
            </ul>
          ) : overview.loading ? (
            <Loading what="namespaces" />
          ) : null}
        </section>

        <section class="card" aria-labelledby="ov-server">
          <h2 id="ov-server">Server</h2>
          <dl class="facts">
            <dt>Version</dt>
            <dd>{state.session.version}</dd>
            <dt>Time</dt>
            <dd>
              <ServerTime />
            </dd>
            <dt>Clock</dt>
            <dd>{clock.mode === "manual" ? "manual (moves only when told)" : "system"}</dd>
          </dl>
          <ClockControls />
        </section>
      </div>
    </section>
  );
}

/** Only under `--clock manual`: move the server's clock forward, or to a time. */
function ClockControls() {
  const state = useConsole();
  const clock = useStore(state.clock);
  const [advance, setAdvance] = useState("1d");
  const [setTo, setSetTo] = useState("");
  const [errors, setErrors] = useState<{ advance?: string; set?: string }>({});
  const [busy, setBusy] = useState(false);
  if (clock.mode !== "manual") return null;

  const move = (body: Record<string, unknown>, field: "advance" | "set") => {
    setBusy(true);
    state.api
      .post<{ now: string }>(paths.clock, body)
      .then((answer) => {
        setErrors({});
        state.notify(`The server's clock is now ${formatUtc(Date.parse(answer.data.now))}.`);
        void state.reloadTokens();
      })
      .catch((error: unknown) => setErrors({ [field]: messageOf(error) }))
      .finally(() => setBusy(false));
  };

  return (
    <div class="clock-controls">
      <form
        class="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const seconds = durationSeconds(advance.trim());
          if (seconds === null) {
            setErrors({ advance: "Give a duration such as 90s, 15m, 2h, 3d or 1d12h." });
            return;
          }
          move({ advanceSeconds: seconds }, "advance");
        }}
      >
        <TextField
          label="Advance by"
          value={advance}
          onInput={(event) => setAdvance(event.currentTarget.value)}
          error={errors.advance}
          hint="90s, 15m, 2h, 3d, 1d12h"
          autocomplete="off"
        />
        <button type="submit" class="button" disabled={busy}>
          Advance
        </button>
      </form>
      <form
        class="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          move({ set: setTo.trim() }, "set");
        }}
      >
        <TextField
          label="Set to"
          value={setTo}
          placeholder="2030-01-01T00:00:00Z"
          onInput={(event) => setSetTo(event.currentTarget.value)}
          error={errors.set}
          hint="An ISO time, never earlier than now"
          autocomplete="off"
        />
        <button type="submit" class="button" disabled={busy}>
          Set
        </button>
      </form>
    </div>
  );
}
