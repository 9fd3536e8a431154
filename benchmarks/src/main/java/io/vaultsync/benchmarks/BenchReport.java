package io.vaultsync.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the usual command line and then prints a Markdown table of the median measured
 * iteration per benchmark and its throughput in MiB/s of input ({@code sizeMiB} / median time).
 * Every benchmark here uses {@code Mode.AverageTime} in ms/op and one op covers the whole input.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.BenchReport [JMH options]
 * </pre>
 */
public final class BenchReport {
  private BenchReport() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    List<String> rows = new ArrayList<>();
    for (RunResult run : results) {
      var params = run.getParams();
      String name = params.getBenchmark();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      List<Double> scores = new ArrayList<>();
      for (BenchmarkResult br : run.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          scores.add(ir.getPrimaryResult().getScore());
        }
      }
      double[] s = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median =
          s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      String unit = run.getPrimaryResult().getScoreUnit();
      String size = params.getParam("sizeMiB");
      String mibs =
          size != null && "ms/op".equals(unit)
              ? String.format(Locale.ROOT, "%,.0f", Double.parseDouble(size) * 1000 / median)
              : "";
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.1f %s | %s | %s |",
              name,
              orEmpty(params.getParam("kind")),
              orEmpty(params.getParam("scenario")),
              orEmpty(size),
              median,
              unit,
              Arrays.toString(
                  Arrays.stream(s).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v)).toArray()),
              mibs));
    }
    System.out.println();
    System.out.println("| benchmark | kind | scenario | MiB | median | iterations | MiB/s |");
    System.out.println("|---|---|---|---:|---:|---|---:|");
    rows.forEach(System.out::println);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
