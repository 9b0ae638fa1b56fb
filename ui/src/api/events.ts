// The engine's SyncEvent stream, forwarded unchanged by src-tauri/src/events.rs, and the update
// notice (src-tauri/src/updates.rs).
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { SyncEvent, UpdateNotice } from "./types";

export const onSyncEvent = (handler: (event: SyncEvent) => void): Promise<UnlistenFn> =>
  listen<SyncEvent>("sync-event", (e) => handler(e.payload));

export const onUpdateNotice = (handler: (notice: UpdateNotice) => void): Promise<UnlistenFn> =>
  listen<UpdateNotice>("update-notice", (e) => handler(e.payload));
