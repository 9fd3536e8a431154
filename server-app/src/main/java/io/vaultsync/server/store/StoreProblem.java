package io.vaultsync.server.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something wrong with the content store's files, found when it opened or while reading: a pack
 * without a usable index, an index without its pack, a pack shorter than its index, a damaged
 * object. The store keeps serving everything else; {@code vaultsync server check --repair} fixes
 * what can be fixed.
 *
 * @param kind what is wrong
 * @param file the file it is about
 * @param detail what exactly, and what the store does about it (one line, no advice)
 */
public record StoreProblem(Kind kind, Path file, String detail) {
  /** What is wrong. */
  public enum Kind {
    /** A pack has no index (and no temporary index proving its commit never happened). */
    INDEX_MISSING,
    /** A pack's index cannot be read (bad checksum, truncated, wrong magic or version). */
    INDEX_CORRUPT,
    /** An index names a pack that is gone, holding objects stored nowhere else. */
    PACK_MISSING,
    /** A pack is shorter than its index says: the objects past its end are lost. */
    PACK_SHORT,
    /** An object's bytes do not hash to its address (or cannot be read back). */
    OBJECT_DAMAGED
  }

  public StoreProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(detail, "detail");
  }

  /** One line for the log and {@code server check}: the file, then what is wrong. */
  public String describe() {
    String what =
        switch (kind) {
          case INDEX_MISSING -> "store pack " + file + " has no index";
          case INDEX_CORRUPT -> "store index " + file + " is corrupt";
          case PACK_MISSING -> "store pack " + file + " is missing";
          case PACK_SHORT -> "store pack " + file + " is shorter than its index";
          case OBJECT_DAMAGED -> "store pack " + file + " holds a damaged object";
        };
    return what + " (" + detail + ")";
  }
}
