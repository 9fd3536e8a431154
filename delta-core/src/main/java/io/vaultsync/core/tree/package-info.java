/**
 * The tree model: canonical note paths ({@link io.vaultsync.core.tree.NotePath}), the manifest of a
 * folder ({@link io.vaultsync.core.tree.Manifest}), how it is read from disk ({@link
 * io.vaultsync.core.tree.ManifestScanner}, the only I/O here) and the changes between two manifests
 * ({@link io.vaultsync.core.tree.TreeDiff}).
 */
package io.vaultsync.core.tree;
