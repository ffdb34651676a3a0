import { utcDate } from "./dates.ts";
import { activationStatus, type Token, type TokenListing } from "./model.ts";

const restriction = (token: Token) =>
  token.edgeWorkerIds === null ? {} : { restrictToEdgeWorkerIds: [...token.edgeWorkerIds] };

/** The create response: name and uuid first, then Akamai's alphabetical order. */
export function createdView(token: Token, now: Date) {
  if (token.kind === "legacy") return legacyView(token);
  return {
    name: token.name,
    uuid: token.uuid,
    allowOnProduction: token.allowOnProduction,
    allowOnStaging: token.allowOnStaging,
    cpcode: token.cpcode,
    expiry: token.expiry,
    issueDate: utcDate(token.issuedAt),
    latestRefreshDate: token.latestRefreshOn,
    namespacePermissions: token.namespacePermissions,
    nextScheduledRefreshDate: token.nextRefreshOn,
    ...restriction(token),
    tokenActivationStatus: activationStatus(token, now),
  };
}

/** GET and refresh: the field order of Akamai's retrieve example. */
export function detailView(token: Token, now: Date) {
  if (token.kind === "legacy") return legacyView(token);
  return {
    name: token.name,
    uuid: token.uuid,
    expiry: token.expiry,
    tokenActivationStatus: activationStatus(token, now),
    issueDate: utcDate(token.issuedAt),
    latestRefreshDate: token.latestRefreshOn,
    nextScheduledRefreshDate: token.nextRefreshOn,
    cpcode: token.cpcode,
    ...restriction(token),
    allowOnProduction: token.allowOnProduction,
    allowOnStaging: token.allowOnStaging,
    namespacePermissions: token.namespacePermissions,
  };
}

/** A legacy token is its JWT value and its expiry. */
function legacyView(token: Token) {
  return { expiry: token.expiry, name: token.name, uuid: token.uuid, value: token.credential };
}

/** A list item: no permissions, CP code or allow flags; the order of Akamai's list example. */
export function listItemView(token: TokenListing, now: Date) {
  return {
    expiry: token.expiry,
    name: token.name,
    uuid: token.uuid,
    tokenActivationStatus: activationStatus(token, now),
    issueDate: utcDate(token.issuedAt),
    latestRefreshDate: token.latestRefreshOn,
    ...(token.kind === "enhanced" ? { nextScheduledRefreshDate: token.nextRefreshOn } : {}),
  };
}
