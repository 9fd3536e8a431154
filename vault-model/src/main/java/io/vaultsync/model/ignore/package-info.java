/**
 * Per-path sync policy: {@code .vaultsyncignore} files with gitignore semantics ({@link
 * io.vaultsync.model.ignore.IgnorePattern}) on top of built-in defaults ({@link
 * io.vaultsync.model.ignore.IgnoreRules}).
 */
package io.vaultsync.model.ignore;
