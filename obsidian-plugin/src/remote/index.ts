export { type HttpFn, type HttpRequest, type HttpResponse, type FetchFn, fetchHttp } from "./http";
export {
  RemoteError,
  OfflineError,
  AuthError,
  StaleError,
  MassDeleteRefusedError,
  LimitError,
  PathRefusedError,
  type LimitRefusal,
  type RemoteCode,
} from "./errors";
export type {
  RemoteEntry,
  Change,
  ChangeOp,
  ChangesPage,
  VaultInfo,
  Mutation,
  Outcome,
  FetchItem,
  FetchSink,
  Manifest,
  WireStats,
} from "./types";
export {
  VaultRemote,
  type VaultRemoteOptions,
  COMMIT_MUTATIONS,
  COMMIT_BYTES,
  INLINE_DELTA_BYTES,
  FETCH_ITEMS,
  PAGE_BYTES,
  MAX_WAIT_MILLIS,
} from "./remote";
export { type DeltaSource, newUploadId } from "./uploads";
