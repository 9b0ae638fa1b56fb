// The engine's SyncEvent stream, forwarded unchanged by src-tauri/src/events.rs.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { SyncEvent } from "./types";

export const onSyncEvent = (handler: (event: SyncEvent) => void): Promise<UnlistenFn> =>
  listen<SyncEvent>("sync-event", (e) => handler(e.payload));
