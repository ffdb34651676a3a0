export {
  formatTimestamp,
  type ParsedAuthorization,
  parseAuthorization,
  parseTimestamp,
} from "./auth-header.ts";
export {
  credentialsFromEnv,
  type EdgercCredentials,
  parseEdgerc,
  readEdgercSection,
  upsertEdgercSection,
} from "./edgerc.ts";
export { type EdgeGridCredentials, type SignInput, signRequest } from "./signer.ts";
export {
  canonicalHeaders,
  contentHash,
  DEFAULT_MAX_BODY,
  dataToSign,
  signature,
  signingKey,
} from "./signing.ts";
export { createVerifier, type ReceivedRequest, type Verified } from "./verifier.ts";
