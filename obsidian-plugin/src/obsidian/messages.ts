/**
 * What a person reads when the server says no: one sentence naming the problem and what to do.
 * Errors are told apart by their `name` (AuthError, OfflineError, ...), which the remote client's
 * and the sync core's error classes set, so this file does not depend on where one was made.
 */

/** The kinds of failure a person can act on differently. */
export type Trouble = "bad-token" | "offline" | "not-vaultsync" | "no-vault" | "other";

export function troubleOf(e: unknown): Trouble {
  const name = e instanceof Error ? e.name : "";
  const code = typeof (e as { code?: unknown })?.code === "string" ? (e as { code: string }).code : "";
  if (name === "AuthError" || code === "unauthenticated" || code === "permission_denied") return "bad-token";
  if (name === "OfflineError" || code === "unavailable") return "offline";
  if (code === "unimplemented") return "not-vaultsync";
  if (code === "not_found") return "no-vault";
  return "other";
}

function detail(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The sentence for `e`, met while talking to the server at `url` about `vault`. */
export function describeTrouble(e: unknown, url: string, vault = ""): string {
  switch (troubleOf(e)) {
    case "bad-token":
      return `The server at ${url} refused the device token (${detail(e)}). Create one on the server with "vaultsync server token create" and paste it in the settings.`;
    case "offline":
      return `Cannot reach ${url} (${detail(e)}). Is the server running with --http, and is this the address of its --http port? Changes stay here until it answers.`;
    case "not-vaultsync":
      return `${url} answered, but not as a vaultsync server of this version (${detail(e)}). Check the address: it is the server's --http port.`;
    case "no-vault":
      return vault === ""
        ? `The server at ${url} has no such vault (${detail(e)}). Pick a vault in the settings.`
        : `The server at ${url} has no vault "${vault}" (${detail(e)}). Pick another in the settings, or upload this vault as a new one.`;
    case "other":
      return `vaultsync: ${detail(e)}`;
  }
}
