import { useEffect, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/client.ts";
import { paths } from "../api/paths.ts";
import type { AuditEvent } from "../api/types.ts";
import { auditActions, groupsOf, matchesAudit, mergeAudit } from "../lib/audit.ts";
import { Badge, Empty, ErrorNote, Loading, PageHeader, RelTime, TableScroll } from "../ui/common.tsx";
import { useConsole, useServerNow, useStore } from "../ui/hooks.ts";

const PAGE_SIZE = 100;

interface Log {
  readonly events: readonly AuditEvent[];
  readonly nextCursor: string | null;
}

export function AuditPage() {
  const state = useConsole();
  const now = useServerNow();
  const feed = useStore(state.auditFeed);
  const [action, setAction] = useState("");
  const [search, setSearch] = useState("");
  const [live, setLive] = useState(true);
  const [log, setLog] = useState<Log | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [loading, setLoading] = useState(false);

  const load = (cursor: string | null) => {
    setLoading(true);
    state.api
      .get<Log>(paths.audit, {
        noAccount: true,
        query: {
          limit: String(PAGE_SIZE),
          action: action === "" ? undefined : action,
          cursor: cursor ?? undefined,
        },
      })
      .then((answer) => {
        setError(null);
        setLog((current) =>
          cursor === null || current === null
            ? answer.data
            : { events: mergeAudit(current.events, answer.data.events), nextCursor: answer.data.nextCursor },
        );
      })
      .catch((failure: unknown) =>
        setError({
          message: messageOf(failure),
          missing: failure instanceof ApiError && failure.problem.status === 404,
        }),
      )
      .finally(() => setLoading(false));
  };

  useEffect(() => {
    setLog(null);
    load(null);
  }, [action]);

  // The stream's events are merged in by id (one already on the page is not repeated).
  const events =
    log === null
      ? null
      : mergeAudit(log.events, live ? feed : []).filter((event) => matchesAudit(event, action, search));

  // The chosen action stays offered while the log shows only it.
  const actions = auditActions([
    ...(log?.events ?? []),
    ...feed,
    ...(action.endsWith(".") ? [] : [{ action }]),
  ]).filter((item) => item !== "");

  if (error?.missing) {
    return (
      <section>
        <PageHeader title="Audit log" />
        <p>This server keeps no audit log.</p>
      </section>
    );
  }

  return (
    <section>
      <PageHeader title="Audit log" />
      <div class="toolbar">
        <div class="field field-inline">
          <label for="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(event) => setAction(event.currentTarget.value)}>
            <option value="">All actions</option>
            <optgroup label="Groups">
              {groupsOf(actions).map((group) => (
                <option key={group} value={group}>
                  {group}*
                </option>
              ))}
            </optgroup>
            <optgroup label="Actions">
              {actions.map((item) => (
                <option key={item} value={item}>
                  {item}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div class="field field-inline">
          <label for="audit-search">Search</label>
          <input
            id="audit-search"
            type="search"
            value={search}
            onInput={(event) => setSearch(event.currentTarget.value)}
            autocomplete="off"
          />
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={live}
            onChange={(event) => {
              const on = event.currentTarget.checked;
              setLive(on);
              // Paused: keep what is shown; resumed: catch up from the log.
              if (on) load(null);
              else setLog((current) => current && { ...current, events: mergeAudit(current.events, feed) });
            }}
          />
          Live
        </label>
      </div>
      <ErrorNote message={error?.message ?? null} />
      {events === null ? (
        loading ? (
          <Loading what="the audit log" />
        ) : null
      ) : events.length === 0 ? (
        <Empty>No events.</Empty>
      ) : (
        <TableScroll label="Audit events">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Via</th>
                <th scope="col">Account</th>
                <th scope="col">Client</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td class="nowrap">
                    <RelTime iso={event.at} now={now} />
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td class="wrap">{event.target}</td>
                  <td>
                    <Badge tone={event.outcome === "ok" ? "ok" : event.outcome === "refused" ? "off" : "bad"}>
                      {event.outcome}
                      {event.status === null ? "" : ` ${event.status}`}
                    </Badge>
                  </td>
                  <td>{event.via ?? "—"}</td>
                  <td>{event.accountId ?? "—"}</td>
                  <td>
                    <code class="wrap">{event.clientToken ?? "—"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {log?.nextCursor ? (
        <p>
          <button type="button" class="button" onClick={() => load(log.nextCursor)} disabled={loading}>
            Load older events
          </button>
        </p>
      ) : null}
      <p class="muted" aria-live="off">
        {live ? "New events appear at the top as they are recorded." : "Live updates are paused."}
      </p>
    </section>
  );
}
