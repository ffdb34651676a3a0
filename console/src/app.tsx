import { useEffect, useState } from "preact/hooks";
import { ApiError, createApi, messageOf } from "./api/client.ts";
import { paths } from "./api/paths.ts";
import type { Session } from "./api/types.ts";
import { loginKeyOf, parseRoute, type Route } from "./lib/routes.ts";
import { AuditPage } from "./pages/audit.tsx";
import { CredentialsPage } from "./pages/credentials.tsx";
import { GroupPage } from "./pages/group.tsx";
import { ItemPage } from "./pages/item.tsx";
import { LoginScreen } from "./pages/login.tsx";
import { NamespacePage } from "./pages/namespace.tsx";
import { NamespacesPage } from "./pages/namespaces.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { TokenPage } from "./pages/token.tsx";
import { TokenCreatePage } from "./pages/token-create.tsx";
import { TokensPage } from "./pages/tokens.tsx";
import { type ConsoleState, createConsole } from "./state.ts";
import { ConsoleContext } from "./ui/hooks.ts";
import { Shell } from "./ui/shell.tsx";

type Phase =
  | { readonly kind: "starting" }
  | { readonly kind: "signed-out"; readonly message: string | null; readonly loggedOut?: boolean }
  | { readonly kind: "ready"; readonly state: ConsoleState };

/** Requests before there is a console: the login and the session check. */
const bootstrap = createApi({
  onServerTime: () => undefined,
  onSessionLost: () => undefined,
  accountSwitchKey: () => null,
});

/** Logs in with the URL's login key, if it had one, or finds the session the cookie already holds. */
async function start(key: string | null): Promise<{ session: Session } | { message: string | null }> {
  let loginError: string | null = null;
  if (key !== null) {
    try {
      await bootstrap.post(paths.session, { key }, { noAccount: true });
    } catch (error) {
      loginError = messageOf(error);
    }
  }
  try {
    const answer = await bootstrap.get<Session>(paths.session, { noAccount: true });
    return { session: answer.data };
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 401) return { message: loginError };
    return { message: loginError ?? messageOf(error) };
  }
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  return route;
}

/**
 * The login key of the address (the banner's or `edgekv console`'s URL), removed from the address
 * bar and the history before anything else reads it.
 */
export function takeLoginKey(): string | null {
  const key = loginKeyOf(location.hash);
  if (key === null) return null;
  history.replaceState(null, "", `${location.pathname}${location.search}#/`);
  // replaceState fires no event: the router reads the new address now.
  window.dispatchEvent(new HashChangeEvent("hashchange"));
  return key;
}

export function App({ loginKey }: { loginKey: string | null }) {
  const [phase, setPhase] = useState<Phase>({ kind: "starting" });
  // A login URL pasted into this tab changes only the fragment: log in with it all the same.
  const [login, setLogin] = useState({ key: loginKey });
  const route = useRoute();

  useEffect(() => {
    const onHash = () => {
      const key = takeLoginKey();
      if (key !== null) setLogin({ key });
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    let active = true;
    setPhase((current) => {
      if (current.kind === "ready") current.state.close();
      return { kind: "starting" };
    });
    void start(login.key).then((result) => {
      if (!active) return;
      if ("session" in result) {
        const state = createConsole(result.session, (problem) => {
          state.close();
          setPhase({ kind: "signed-out", message: problem.detail });
        });
        setPhase({ kind: "ready", state });
      } else {
        setPhase({ kind: "signed-out", message: result.message });
      }
    });
    return () => {
      active = false;
    };
  }, [login]);

  useEffect(() => {
    const title = phase.kind === "ready" ? "EdgeKV console" : "EdgeKV console: log in";
    document.title = title;
  }, [phase.kind]);

  if (phase.kind === "starting") {
    return (
      <main class="login" id="main">
        <p class="muted" aria-live="polite">
          Opening the console…
        </p>
      </main>
    );
  }
  if (phase.kind === "signed-out") {
    return <LoginScreen message={phase.message} loggedOut={phase.loggedOut === true} />;
  }
  const { state } = phase;
  const logout = () => {
    state.api.delete(paths.session, { noAccount: true }).finally(() => {
      state.close();
      setPhase({ kind: "signed-out", message: null, loggedOut: true });
    });
  };
  return (
    <ConsoleContext.Provider value={state}>
      <Shell route={route} onLogout={logout}>
        <Page route={route} />
      </Shell>
    </ConsoleContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "overview":
      return <OverviewPage />;
    case "tokens":
      return <TokensPage />;
    case "token-create":
      return <TokenCreatePage />;
    case "token":
      return <TokenPage key={route.name} name={route.name} />;
    case "namespaces":
      return <NamespacesPage network={route.network} />;
    case "namespace":
      return <NamespacePage key={`${route.network}/${route.namespace}`} {...route} />;
    case "group":
      return <GroupPage key={`${route.network}/${route.namespace}/${route.group}`} {...route} />;
    case "item":
      return <ItemPage key={`${route.network}/${route.namespace}/${route.group}/${route.item}`} {...route} />;
    case "credentials":
      return <CredentialsPage />;
    case "audit":
      return <AuditPage />;
    case "not-found":
      return <NotFoundPage path={route.path} />;
  }
}
