import { randomBytes } from "node:crypto";

/** A fresh CSP nonce per page load: 24 random bytes, base64url. */
export function createNonce(): string {
  return randomBytes(24).toString("base64url");
}
