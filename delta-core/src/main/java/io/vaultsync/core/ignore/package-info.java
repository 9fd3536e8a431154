/**
 * Per-path sync policy: {@code .vaultsyncignore} files with gitignore semantics ({@link
 * io.vaultsync.core.ignore.IgnorePattern}) on top of built-in defaults ({@link
 * io.vaultsync.core.ignore.IgnoreRules}).
 */
package io.vaultsync.core.ignore;
