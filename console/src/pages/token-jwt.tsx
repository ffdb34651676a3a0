import { decodeJwt } from "../lib/jwt.ts";
import { formatRelative, formatUtc } from "../lib/relative-time.ts";
import type { LegacyToken } from "../lib/tokens.ts";
import { CopyBlock, ErrorNote } from "../ui/common.tsx";
import { useConsole } from "../ui/hooks.ts";

/** A legacy token's value, and its header and claims decoded (not verified: for reading). */
export function JwtCard({ detail, now }: { detail: LegacyToken; now: number }) {
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
