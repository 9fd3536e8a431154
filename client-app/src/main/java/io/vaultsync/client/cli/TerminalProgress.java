package io.vaultsync.client.cli;

import io.vaultsync.client.sync.SyncProgress;
import io.vaultsync.model.tree.NotePath;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (me.tongfei:progressbar): bytes of content done out of planned, with
 * rate and ETA, and files done out of planned beside it. Drawn only once a sync has planned at
 * least {@code minFiles} files or {@code minBytes} bytes, so a small sync prints nothing but its
 * summary; the bar is closed (its last state left on the line) before the summary is printed on
 * stdout. Not thread-safe: the sync calls it on one thread.
 */
final class TerminalProgress implements SyncProgress {
  private final String task;
  private final int minFiles;
  private final long minBytes;
  private final PrintStream err;

  private int files;
  private long bytes;
  private int filesDone;
  private long bytesDone;
  private ProgressBar bar;

  TerminalProgress(String task, int minFiles, long minBytes, PrintStream err) {
    this.task = task;
    this.minFiles = minFiles;
    this.minBytes = minBytes;
    this.err = err;
  }

  @Override
  public void planned(int moreFiles, long moreBytes) {
    files += moreFiles;
    bytes += moreBytes;
    if (bar == null && (files >= minFiles || bytes >= minBytes) && files > 0) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(Math.max(bytes, 1))
              .setUnit(
                  bytes < 16L * 1024 * 1024 ? " KB" : " MB",
                  bytes < 16L * 1024 * 1024 ? 1024 : 1024 * 1024)
              .showSpeed()
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .continuousUpdate()
              .build();
      bar.stepTo(bytesDone);
    }
    if (bar != null) {
      bar.maxHint(Math.max(bytes, 1));
      show();
    }
  }

  @Override
  public void fileDone(NotePath path, long n) {
    filesDone++;
    bytesDone += n;
    if (bar != null) {
      bar.stepTo(bytesDone);
      show();
    }
  }

  private void show() {
    bar.setExtraMessage(" " + filesDone + "/" + files + " files");
  }

  @Override
  public void finished() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
