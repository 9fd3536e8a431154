/** SHA-256 as lower-case hex, incremental, via hash-wasm (no Node API, works on mobile). */
import { createSHA256, type IHasher } from "hash-wasm";

export type Sha256 = IHasher;

export function newSha256(): Promise<Sha256> {
  return createSHA256();
}

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const h = await createSHA256();
  h.init();
  h.update(data);
  return h.digest("hex");
}
