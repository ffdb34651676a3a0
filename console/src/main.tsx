import { render } from "preact";
import { App, takeLoginKey } from "./app.tsx";

const loginKey = takeLoginKey();
const root = document.getElementById("app");
if (root !== null) render(<App loginKey={loginKey} />, root);
