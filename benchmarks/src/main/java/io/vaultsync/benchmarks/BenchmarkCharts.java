package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.VaultBenchmark.Result;
import io.vaultsync.benchmarks.VaultBenchmark.Row;
import io.vaultsync.benchmarks.wan.Link;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The charts of {@code docs/benchmarks.md}: per vault size, one of wall time and one of bytes on
 * the wire, a horizontal bar per scenario and tool (vaultsync, rsync, rsync -z side by side), drawn
 * with JFreeChart into PNG files in a headless JVM. The value axis is logarithmic when the largest
 * value is more than 100 times the smallest (it is, between a no-op and a clone).
 */
final class BenchmarkCharts {
  static final int WIDTH = 900;
  static final int HEIGHT = 560;
  private static final Color[] COLORS = {
    new Color(0x4e79a7), new Color(0xf28e2b), new Color(0x59a14f)
  };

  private BenchmarkCharts() {}

  /**
   * A chart file's name: {@code benchmarks-time-1000.png} over loopback, {@code
   * benchmarks-wan-time-1000.png} over the WAN-shaped link.
   */
  static String fileName(String metric, int notes, Link link) {
    return "benchmarks-" + (link.shaped() ? link.key() + "-" : "") + metric + "-" + notes + ".png";
  }

  /** Writes the time and bytes charts of {@code r} into {@code dir}; their file names. */
  static List<String> write(Path dir, Result r) throws IOException {
    System.setProperty("java.awt.headless", "true");
    String time = fileName("time", r.notes(), r.link());
    String bytes = fileName("bytes", r.notes(), r.link());
    png(
        dir.resolve(time),
        chart(
            String.format(
                Locale.ROOT,
                "Wall time, %,d notes, %s (%s)",
                r.notes(),
                r.link().label(),
                BenchmarkTables.medianOf(r)),
            "seconds",
            r,
            Row::medianNanos,
            1e9));
    png(
        dir.resolve(bytes),
        chart(
            String.format(
                Locale.ROOT,
                "Bytes on the wire, both ways, %,d notes, %s",
                r.notes(),
                r.link().label()),
            "bytes",
            r,
            Row::bytes,
            1));
    return List.of(time, bytes);
  }

  private static JFreeChart chart(
      String title, String unit, Result r, ToLongFunction<Row> field, double divisor) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Map.Entry<String, List<Row>> e : r.byTool().entrySet()) {
      for (Row row : e.getValue()) {
        long v = field.applyAsLong(row);
        if (v > 0) {
          double x = v / divisor;
          data.addValue(x, e.getKey(), row.scenario());
          min = Math.min(min, x);
          max = Math.max(max, x);
        } else {
          data.addValue(null, e.getKey(), row.scenario()); // n/a: no bar
        }
      }
    }
    boolean log = max > 0 && max / min > 100;
    ValueAxis axis;
    BarRenderer renderer = new BarRenderer();
    if (log) {
      LogAxis l = new LogAxis(unit + " (log scale)");
      l.setBase(10);
      l.setSmallestValue(min / 2);
      l.setLowerBound(min / 2);
      l.setUpperBound(max * 2);
      l.setTickUnit(new NumberTickUnit(1)); // in log space: a tick at every power of ten
      l.setNumberFormatOverride(
          new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
      axis = l;
      renderer.setBase(min / 2);
    } else {
      axis = new NumberAxis(unit);
    }
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.02);
    for (int i = 0; i < COLORS.length; i++) {
      renderer.setSeriesPaint(i, COLORS[i]);
    }
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(null), axis, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static void png(Path file, JFreeChart chart) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    BenchmarkTables.writeAtomically(file, out.toByteArray());
  }
}
