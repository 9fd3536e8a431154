export { SyncEngine, type SyncEngineOptions, type SyncStatus, type Timers, type VaultEvent } from "./engine";
export type { DeltaCodec, SyncRemote, ChangePage, FetchRequest, FetchSink, Mutation, Outcome, RemoteFile, Patcher } from "./ports";
export { OfflineError, MassDeleteRefused, StaleUpload } from "./ports";
export { MemoryVaultIO, type FileStat, type VaultIO } from "./vault-io";
export { MemoryStateStore, SyncState, type StateStore, type IndexEntry } from "./state";
export { IgnoreRules } from "./ignore";
export type { RoundResult } from "./round";
export { DEFAULT_LIMITS, type DeleteLimits } from "./delete-guard";
