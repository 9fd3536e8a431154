package io.vaultsync.server.store;

import java.nio.channels.FileChannel;

/** A committed pack: its id (file name without extension) and open channel. */
record Pack(String id, FileChannel channel) {}
