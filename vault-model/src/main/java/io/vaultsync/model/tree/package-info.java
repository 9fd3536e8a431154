/**
 * The tree model: canonical note paths ({@link io.vaultsync.model.tree.NotePath}), the manifest of
 * a folder ({@link io.vaultsync.model.tree.Manifest}), how it is read from disk ({@link
 * io.vaultsync.model.tree.ManifestScanner}, the only I/O here) and the changes between two
 * manifests ({@link io.vaultsync.model.tree.TreeDiff}).
 */
package io.vaultsync.model.tree;
