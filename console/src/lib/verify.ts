export interface VerifyForm {
  readonly credential: string;
  readonly network: string;
  readonly namespace: string;
  readonly operation: string;
  readonly edgeWorkerId: string;
}

/**
 * The body of `POST /_edgekv/v1/tokens/verify`: a JWT (it has dots) or a reference; the access
 * check only when a namespace is named.
 */
export function verifyRequest(form: VerifyForm): Record<string, unknown> {
  const credential = form.credential.trim();
  const namespace = form.namespace.trim();
  const edgeWorkerId = form.edgeWorkerId.trim();
  return {
    ...(credential.includes(".") ? { token: credential } : { reference: credential }),
    ...(namespace === "" ? {} : { network: form.network, namespace, operation: form.operation }),
    ...(namespace === "" || edgeWorkerId === "" ? {} : { edgeWorkerId }),
  };
}

/** The verdict in words. */
export function verdictText(answer: {
  valid: boolean;
  credential?: string;
  reason?: string;
  access?: { allowed: boolean; reason?: string };
}): string {
  const validity = answer.valid
    ? `Valid (${answer.credential ?? "current"} credential).`
    : `Not valid: ${answer.reason ?? "refused"}.`;
  if (answer.access === undefined) return validity;
  const access = answer.access.allowed
    ? "Access allowed."
    : `Access refused: ${answer.access.reason ?? "no reason given"}`;
  return `${validity} ${access}`;
}
