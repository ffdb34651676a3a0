import { render } from "preact";
import { App } from "./app.tsx";
import { loginKeyOf } from "./lib/routes.ts";

// The login key leaves the address bar (and the history) before anything else runs.
const loginKey = loginKeyOf(location.hash);
if (loginKey !== null) history.replaceState(null, "", `${location.pathname}${location.search}#/`);

const root = document.getElementById("app");
if (root !== null) render(<App loginKey={loginKey} />, root);
