/**
 * No password form: the console opens only from a login URL, which `edgekv console` (or the start
 * banner) prints, its one-time key in the fragment.
 */
export function LoginScreen({ message, loggedOut }: { message: string | null; loggedOut: boolean }) {
  return (
    <main class="login" id="main">
      <div class="login-card">
        <h1>
          <span class="brand-mark" aria-hidden="true">
            KV
          </span>{" "}
          EdgeKV console
        </h1>
        {message !== null ? (
          <p class="error-note" role="alert">
            {message}
          </p>
        ) : null}
        <p>{loggedOut ? "You are logged out." : "This browser has no console session."}</p>
        <p>To open the console, get a login URL from the server and open it in this browser:</p>
        <pre class="code">edgekv console</pre>
        <p class="muted">
          The server also prints one when it starts (the line beginning with <code>console</code>). A login
          URL works once, for 24 hours; its key is in the part after <code>#</code>, which never leaves this
          browser except to log in.
        </p>
      </div>
    </main>
  );
}
