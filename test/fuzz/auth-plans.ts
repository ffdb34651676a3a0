import type { SeededRandom } from "../edgegrid/seeded-random.ts";
import type { Credentials } from "../support/harness.ts";
import type { AuthPlan } from "./wire.ts";
import type { World } from "./world.ts";

type SignedPlan = Extract<AuthPlan, { kind: "signed" }>;

/** An EdgeGrid plan, and whether EdgeGrid must refuse it (false: accepted, or it depends). */
export interface PlannedAuth {
  readonly plan: AuthPlan;
  readonly refused: boolean;
}

const JUNK_AUTHORIZATIONS = [
  "",
  "EG1-HMAC-SHA256",
  "EG1-HMAC-SHA256 ",
  "EG1-HMAC-SHA256 client_token=;access_token=;timestamp=;nonce=;signature=",
  "EG1-HMAC-SHA256 client_token=a;client_token=b;signature=x",
  "Bearer abc",
  "Basic dXNlcjpwYXNz",
  `EG1-HMAC-SHA256 ${"a=b;".repeat(2000)}`,
  "EG1-HMAC-SHA256 client_token=akab-x;access_token=akab-y;timestamp=20261128T12:00:00+0000;nonce=n;signature=é",
];

/**
 * EdgeGrid as clients get it right and wrong: mostly the all-capability client, then clients with
 * fewer rights or another account, then every way a signature fails (skew, a reused nonce, another
 * Host, a wrong secret, an unknown or disabled client, no or a junk header).
 */
export function createAuthPlans(random: SeededRandom, world: World) {
  const nonces: string[] = [];
  return (): PlannedAuth => {
    const nonce = random.string("0123456789abcdef", 16, 32);
    const signed = (
      credentials: Credentials,
      refused: boolean,
      extra: Partial<Omit<SignedPlan, "kind">> = {},
    ) => ({
      plan: { kind: "signed", credentials, skewSeconds: 0, nonce, ...extra } satisfies SignedPlan,
      refused,
    });
    const roll = random.next();
    nonces.push(nonce);
    if (roll < 0.72) return signed(world.main, false);
    if (roll < 0.78) return signed(world.limited, false);
    if (roll < 0.83) return signed(world.foreign, false);
    if (roll < 0.85) return signed(world.disabled, true);
    if (roll < 0.87) return signed(world.main, true, { skewSeconds: random.pick([-3600, -31, 31, 86_400]) });
    // An earlier nonce: refused only if that request got as far as EdgeGrid, so not a verdict.
    if (roll < 0.89) return signed(world.main, false, { nonce: random.pick(nonces) });
    if (roll < 0.9) return signed(world.main, false, { sentHost: "EDGEKV.TEST:8443" });
    if (roll < 0.91) return signed(world.main, true, { sentHost: random.pick(["other.test", ""]) });
    if (roll < 0.93) {
      return signed({ ...world.main, clientSecret: Buffer.from(random.bytes(32)).toString("base64") }, true);
    }
    if (roll < 0.95)
      return signed({ ...world.main, clientToken: `akab-${random.string("abc123", 16, 16)}` }, true);
    if (roll < 0.97) return { plan: { kind: "none" }, refused: true };
    return { plan: { kind: "raw", authorization: random.pick(JUNK_AUTHORIZATIONS) }, refused: true };
  };
}
