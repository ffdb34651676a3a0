export interface NamespaceRow {
  readonly namespace: string;
  readonly r: boolean;
  readonly w: boolean;
  readonly d: boolean;
}

export interface TokenForm {
  readonly name: string;
  readonly allowOnStaging: boolean;
  readonly allowOnProduction: boolean;
  readonly namespaces: readonly NamespaceRow[];
  readonly edgeWorkerIds: string;
  readonly expiry: string;
}

export const emptyRow = (namespace = ""): NamespaceRow => ({ namespace, r: true, w: false, d: false });

/** `1, 2 3`: ids separated by commas or spaces. */
export const splitList = (text: string): string[] => text.split(/[\s,]+/).filter((part) => part !== "");

/**
 * The body of `POST /edgekv/v1/tokens`, as typed: nothing is refused here, so the server's own
 * message for a mistake appears beside the field. A row left blank is skipped.
 */
export function tokenRequest(form: TokenForm): Record<string, unknown> {
  const namespacePermissions: Record<string, string[]> = {};
  for (const row of form.namespaces) {
    const permissions = (["r", "w", "d"] as const).filter((letter) => row[letter]);
    const namespace = row.namespace.trim();
    if (namespace === "" && permissions.length === 0) continue;
    namespacePermissions[namespace] = permissions;
  }
  const edgeWorkerIds = splitList(form.edgeWorkerIds);
  const expiry = form.expiry.trim();
  return {
    name: form.name.trim(),
    allowOnStaging: form.allowOnStaging,
    allowOnProduction: form.allowOnProduction,
    namespacePermissions,
    ...(edgeWorkerIds.length > 0 ? { restrictToEdgeWorkerIds: edgeWorkerIds } : {}),
    ...(expiry !== "" ? { expiry } : {}),
  };
}

/** The fields a token's errors can sit beside: one per namespace row, by its name. */
export function tokenFormFields(form: TokenForm): string[] {
  return [
    "name",
    "allowOnStaging",
    "allowOnProduction",
    "namespacePermissions",
    ...form.namespaces.map((row) => `namespacePermissions.${row.namespace.trim()}`),
    "restrictToEdgeWorkerIds",
    "expiry",
  ];
}
