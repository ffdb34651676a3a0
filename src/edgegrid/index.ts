export {
  formatTimestamp,
  type ParsedAuthorization,
  parseAuthorization,
  parseTimestamp,
  SCHEME,
} from "./auth-header.ts";
export {
  credentialsFromEnv,
  type EdgercCredentials,
  type EdgercSection,
  parseEdgerc,
  readEdgercSection,
} from "./edgerc.ts";
export { upsertEdgercSection } from "./edgerc-upsert.ts";
export { requestSignature, type SignedRequestParts } from "./request-signature.ts";
export { DEFAULT_MAX_BODY, type EdgeGridCredentials, type SignInput, signRequest } from "./signer.ts";
export { canonicalHeaders, contentHash, dataToSign, signature, signingKey } from "./signing.ts";
export {
  type ClientRecord,
  createVerifier,
  type ReceivedRequest,
  type VerifiedCaller,
  type Verifier,
  type VerifierDeps,
} from "./verifier.ts";
