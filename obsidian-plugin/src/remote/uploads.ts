import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type PushHeaderSchema,
  UploadPartRequestSchema,
  UploadPartResponseSchema,
  type UploadPartResponse,
} from "../gen/vaultsync/v1/vaultsync_pb";
import type { CallContext, ConnectClient } from "./connect";
import { RemoteError } from "./errors";

/**
 * A delta to upload: the bytes, or a function that makes them (again, when the server lost an
 * upload and it must start over).
 */
export type DeltaSource =
  | Uint8Array
  | (() => AsyncIterable<Uint8Array> | Iterable<Uint8Array>);

const RESTARTS = 2;
const PART_TIMEOUT_MS = 120_000;
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A new upload id: 22 random characters of [A-Za-z0-9_-] (132 bits). */
export function newUploadId(): string {
  const bytes = new Uint8Array(22);
  crypto.getRandomValues(bytes);
  let id = "";
  for (const b of bytes) id += ID_CHARS[b & 63];
  return id;
}

/**
 * Push and GiveBack in UploadPart parts (one unary call each, header `Vaultsync-Upload` naming
 * the upload so a proxy keeps its parts on one server). A part whose answer was lost is sent
 * again (the server recognises it); "no such upload" starts the upload over with a new id.
 */
export class Uploads {
  constructor(
    private readonly client: ConnectClient,
    private readonly partBytes: number,
    private readonly retrying: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  async upload(
    header: MessageInitShape<typeof PushHeaderSchema>,
    delta: DeltaSource,
    ctx: CallContext,
  ): Promise<UploadPartResponse> {
    for (let restart = 0; ; restart++) {
      try {
        return await this.once(newUploadId(), header, delta, ctx);
      } catch (e) {
        const lost = e instanceof RemoteError && e.code === "not_found" && /no such upload/i.test(e.message);
        if (!lost || restart >= RESTARTS) throw e;
      }
    }
  }

  private async once(
    id: string,
    header: MessageInitShape<typeof PushHeaderSchema>,
    delta: DeltaSource,
    ctx: CallContext,
  ): Promise<UploadPartResponse> {
    let offset = 0;
    let last: UploadPartResponse | null = null;
    for await (const part of parts(delta, this.partBytes)) {
      const at = offset;
      const r = await this.retrying(() =>
        this.client.call(
          "UploadPart",
          UploadPartRequestSchema,
          {
            uploadId: id,
            header: at === 0 ? header : undefined,
            offset: BigInt(at),
            data: part.data,
            last: part.last,
          },
          UploadPartResponseSchema,
          { timeoutMs: PART_TIMEOUT_MS, headers: { "Vaultsync-Upload": id }, context: ctx },
        ),
      );
      offset += part.data.length;
      if (Number(r.received) !== offset) {
        throw new RemoteError(
          "internal",
          `upload ${id}: the server holds ${r.received} bytes after the part at ${at}; ${offset} were sent`,
        );
      }
      last = r;
    }
    return last!;
  }
}

/** The delta cut into parts of at most `size` bytes, the last one marked (at least one part). */
async function* parts(
  delta: DeltaSource,
  size: number,
): AsyncGenerator<{ data: Uint8Array; last: boolean }, void, undefined> {
  const source = delta instanceof Uint8Array ? [delta] : delta();
  let buf = new Uint8Array(0);
  let ready: Uint8Array | null = null;
  for await (const chunk of source) {
    let c = chunk;
    while (c.length > 0) {
      if (buf.length === size) {
        if (ready) yield { data: ready, last: false };
        ready = buf;
        buf = new Uint8Array(0);
      }
      const n = Math.min(size - buf.length, c.length);
      const grown = new Uint8Array(buf.length + n);
      grown.set(buf);
      grown.set(c.subarray(0, n), buf.length);
      buf = grown;
      c = c.subarray(n);
    }
  }
  if (buf.length === 0 && ready) {
    yield { data: ready, last: true };
    return;
  }
  if (ready) yield { data: ready, last: false };
  yield { data: buf, last: true };
}
