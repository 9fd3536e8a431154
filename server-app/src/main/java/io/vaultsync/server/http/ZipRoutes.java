package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/vaults/{vault}/zip[?path=FOLDER][&at=SEQ|TIME]}: a zip of the vault, or of one
 * folder (or file) in it, at the head or right after a seq or time; authenticated by a device token
 * (bearer or session). Streamed straight into the response from one manifest ({@link
 * VaultManifests}) and the content store ({@link ZipWriter}): no temporary file, no buffer of the
 * vault, and commits made while it streams do not change it. Named {@code VAULT-SEQ.zip}.
 */
public final class ZipRoutes implements HttpRoutes {
  private static final Logger log = LoggerFactory.getLogger(ZipRoutes.class);

  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    routes.get("/api/vaults/{vault}/zip", ctx -> zip(ctx, services));
  }

  private static void zip(Context ctx, HttpServices services) throws IOException {
    String device = services.auth().requireDevice(ctx);
    VaultName vault = VaultName.of(ctx.pathParam("vault"));
    NotePath path = optionalPath(ctx.queryParam("path"));
    String atText = ctx.queryParam("at");
    AtParameter at = atText == null ? null : AtParameter.parse(atText);
    RemoteManifest manifest = VaultManifests.at(services.vaults(), vault, at);
    List<RemoteEntry> entries = VaultManifests.under(manifest, path);
    if (path != null && entries.isEmpty()) {
      throw new NotFoundException(
          "no file at or under \""
              + path
              + "\" in vault \""
              + vault
              + "\" at seq "
              + manifest.headSeq());
    }
    ctx.disableCompression();
    ctx.contentType("application/zip");
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"" + vault.value() + "-" + manifest.headSeq() + ".zip\"");
    ctx.header("X-Vaultsync-Seq", Long.toString(manifest.headSeq()));
    ZipWriter.Stats stats = ZipWriter.write(entries, "", services.content(), ctx.outputStream());
    log.info(
        "zip of vault {}{} at seq {} for {}: {} files, {} bytes",
        vault,
        path == null ? "" : " folder " + path,
        manifest.headSeq(),
        device,
        stats.entries(),
        stats.bytes());
  }

  /** A {@code path} query value as a NotePath (decoded once by the server), or null if absent. */
  static NotePath optionalPath(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    return NotePath.of(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }
}
