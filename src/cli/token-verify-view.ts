import type { InvalidReason } from "../tokens/credential-check.ts";
import { NOT_AVAILABLE, type Paint, plain, renderFields } from "./format.ts";
import { describeExpiry, describePermissions } from "./token-view.ts";
import { UserError } from "./user-error.ts";

/** The answer of POST /_edgekv/v1/tokens/verify. */
export interface VerifyAnswer {
  valid: boolean;
  credential?: "current" | "previous";
  reason?: string;
  token: {
    name: string;
    uuid: string;
    kind: string;
    tokenActivationStatus: string;
    expiry: string;
    allowOnProduction: boolean;
    allowOnStaging: boolean;
    namespacePermissions: Record<string, string[]>;
    restrictToEdgeWorkerIds: string[] | null;
  } | null;
  access?: { allowed: true } | { allowed: false; reason: string };
}

/** The access a verify asks about: a data-plane request, as the token's user would send it. */
export interface AccessQuestion {
  namespace: string;
  operation: string;
  network: string;
  edgeWorkerId: string | null;
}

export function readVerifyAnswer(value: unknown): VerifyAnswer {
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as { valid?: unknown }).valid !== "boolean"
  ) {
    throw new UserError("The server answered with something that is not a token verdict.");
  }
  return value as VerifyAnswer;
}

/** Whether the data plane would take the token, for the request asked about if one was. */
export const accepted = (answer: VerifyAnswer): boolean => answer.valid && answer.access?.allowed !== false;

/** Why a credential opens nothing, completing "Not valid: …". */
const WHY_INVALID: Readonly<Record<InvalidReason, (name: string) => string>> = {
  malformed: () => "this server cannot read it as a token JWT or a token uuid.",
  claims: () => "its claims are not those of an EdgeKV token.",
  "unknown-key": () =>
    "it is signed with a key this server does not have (another server's token, or a key long rotated out).",
  "bad-signature": () => "its signature does not verify (the JWT was altered, or another server signed it).",
  expired: (name) => `token ${name} has expired.`,
  "unknown-token": () =>
    "no token of this account has it (never issued here, another account's, or not visible to this client).",
  revoked: (name) => `token ${name} was revoked.`,
  "not-active": (name) =>
    `token ${name} is not active yet; wait for it with: edgekv token show ${name} --wait`,
  "activation-failed": (name) => `the activation of token ${name} failed (ERROR).`,
  superseded: (name) =>
    `this is an old credential of token ${name}, replaced by a refresh; get the current one with: edgekv token download ${name}`,
};

function whyInvalid(answer: VerifyAnswer): string {
  const reason = answer.reason ?? "";
  // A reason this CLI does not know yet (a newer server's) is shown as it came.
  if (!Object.hasOwn(WHY_INVALID, reason)) return `${reason === "" ? "the server gave no reason" : reason}.`;
  return WHY_INVALID[reason as InvalidReason](answer.token?.name ?? "(unknown)");
}

const describeAccess = ({ operation, namespace, network, edgeWorkerId }: AccessQuestion) =>
  `${operation} on namespace ${namespace} on ${network}` +
  (edgeWorkerId === null ? "" : ` from EdgeWorker ${edgeWorkerId}`);

/** The verdict in one line: what is read first. */
export function verdictLine(
  answer: VerifyAnswer,
  question: AccessQuestion | null,
  paint: Paint = plain,
): string {
  if (!answer.valid) return paint(`Not valid: ${whyInvalid(answer)}`, "red");
  const name = answer.token?.name ?? "(unknown)";
  const credential =
    answer.credential === "previous"
      ? "its previous credential, which works until the refreshed one is active"
      : "its current credential";
  if (answer.access?.allowed === false) {
    return paint(`Refused: ${answer.access.reason}`, "red");
  }
  if (question !== null && answer.access?.allowed === true) {
    return paint(`Accepted: token ${name} (${credential}) allows ${describeAccess(question)}.`, "green");
  }
  return paint(`Valid: token ${name} (${credential}).`, "green");
}

const yesNo = (flag: boolean) => (flag ? "yes" : "no");

/** The verdict, then the token it concerns (when the server named one) as `token show` lists it. */
export function renderVerdict(
  answer: VerifyAnswer,
  question: AccessQuestion | null,
  /** The server's time, for the expiry's "in N days" (see datesNow). */
  now: Date,
  paint: Paint = plain,
): string {
  const lines = [verdictLine(answer, question, paint)];
  const token = answer.token;
  if (token === null) return lines.join("\n");
  const permissions = Object.entries(token.namespacePermissions);
  lines.push(
    "",
    renderFields(
      [
        ["Token name", token.name],
        ["Token UUID", token.uuid],
        ["Kind", token.kind],
        ["Activation status", token.tokenActivationStatus],
        ["Expiry date", describeExpiry(token.expiry, now)],
        ["Valid for EWIDs", token.restrictToEdgeWorkerIds?.join(",") ?? "all"],
        ["Valid on production", yesNo(token.allowOnProduction)],
        ["Valid on staging", yesNo(token.allowOnStaging)],
      ],
      paint,
    ),
    permissions.length === 0 ? `Namespace permissions: ${NOT_AVAILABLE}` : "Namespace permissions:",
    ...permissions.map(([namespace, letters]) => `  ${namespace}: ${describePermissions(letters)}`),
  );
  return lines.join("\n");
}
