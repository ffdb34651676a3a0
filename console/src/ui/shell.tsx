import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import type { Route } from "../lib/routes.ts";
import { ServerTime } from "./common.tsx";
import { useConsole, useStore } from "./hooks.ts";

const NAV: readonly { href: string; label: string; pages: readonly Route["page"][] }[] = [
  { href: "#/", label: "Overview", pages: ["overview"] },
  { href: "#/tokens", label: "Tokens", pages: ["tokens", "token", "token-create"] },
  { href: "#/namespaces", label: "Namespaces", pages: ["namespaces", "namespace", "group", "item"] },
  { href: "#/credentials", label: "Credentials", pages: ["credentials"] },
  { href: "#/audit", label: "Audit log", pages: ["audit"] },
];

const CONNECTION_TEXT = { connecting: "Connecting", live: "Live", reconnecting: "Reconnecting" } as const;

export function Shell({
  route,
  onLogout,
  children,
}: {
  route: Route;
  onLogout(): void;
  children: ComponentChildren;
}) {
  const state = useConsole();
  const account = useStore(state.account);
  const connection = useStore(state.connection);
  const clock = useStore(state.clock);

  // A new page is announced by moving focus to its heading (not on the first load).
  useEffect(() => {
    const onHash = () => requestAnimationFrame(() => document.getElementById("page-title")?.focus());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  return (
    <div class="shell">
      <button type="button" class="skip-link button" onClick={skipToMain}>
        Skip to content
      </button>
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true">
            KV
          </span>
          <span>EdgeKV console</span>
        </a>
        <div class="topbar-items">
          <label class="account-select">
            <span>Account</span>
            <select value={account} onChange={(event) => state.account.set(event.currentTarget.value)}>
              {state.session.accounts.length === 0 ? <option value={account}>{account}</option> : null}
              {state.session.accounts.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.id}
                  {item.initialized ? "" : " (not initialized)"}
                </option>
              ))}
            </select>
          </label>
          <span class="server-time" title="The server's own time (X-EdgeKV-Time)">
            <span class="label">Server time</span> <ServerTime />
            {clock.mode === "manual" ? <span class="badge badge-info">manual clock</span> : null}
          </span>
          <span class={`connection connection-${connection}`}>
            <span class="dot" aria-hidden="true" />
            {CONNECTION_TEXT[connection]}
          </span>
          <button type="button" class="button button-small" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      <nav class="sidenav" aria-label="Sections">
        <ul>
          {NAV.map((item) => {
            const current = item.pages.includes(route.page);
            return (
              <li key={item.href}>
                <a href={item.href} aria-current={current ? "page" : undefined}>
                  {item.label}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
      <Toasts />
    </div>
  );
}

/** A button, not a `#main` link: the hash is the router's. */
function skipToMain(): void {
  document.getElementById("main")?.focus();
}

/** Messages after an action, in a live region that screen readers announce. */
function Toasts() {
  const state = useConsole();
  const toasts = useStore(state.toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`}>
          {toast.message}
        </div>
      ))}
    </div>
  );
}
