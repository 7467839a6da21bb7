package org.stylesweep.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.stylesweep.spark.SweepJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run MANIFEST}: validates and plans on the driver (bad input exits 2 before Spark starts),
 * runs the missing runs on Spark, rebuilds the metrics table, then writes grids and the report.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run a sweep: one Spark task per run; skips runs already OK in the output folder.")
final class RunCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Parameters(
      index = "0",
      paramLabel = "MANIFEST",
      description = "YAML manifest: path or URI (file, s3a, hdfs).")
  String manifest;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default out/<name>); any Hadoop path or URI.")
  String out;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a manifest key, e.g. defaults.steps=20 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--no-report", description = "Do not write grids and the HTML report at the end.")
  boolean noReport;

  @Option(
      names = "--prune",
      description =
          "Delete the records and images of runs whose input images are no longer in the sweep"
              + " (by default they keep their rows, marked as from an earlier run).")
  boolean prune;

  @Override
  public Integer call() throws Exception {
    StyleSweep.Planned planned = root.plan(manifest, overrides, true);
    String outDir = StyleSweep.outDir(out, planned.plan().manifest());
    root.out.print(
        ValidateCommand.describe(planned, outDir, root.statuses(planned.plan(), outDir)));
    root.out.flush();

    SparkSession spark = root.sessions().get();
    SweepJob.Outcome outcome = SweepJob.run(spark, planned.plan(), outDir, prune);
    root.out.printf(
        "%d runs: %d OK, %d FAILED (%d computed now, %d already OK)%nresults in %s%n",
        outcome.planned(),
        outcome.ok(),
        outcome.failed(),
        outcome.computed(),
        outcome.skipped(),
        outcome.out());
    if (outcome.earlier() > 0) {
      root.out.printf(
          "%d rows kept from earlier runs whose inputs are gone (run with --prune to delete them)%n",
          outcome.earlier());
    }
    if (outcome.pruned() > 0) {
      root.out.printf("%d runs of gone inputs pruned%n", outcome.pruned());
    }
    if (outcome.planned() == 0 && outcome.earlier() == 0) {
      root.out.println("nothing to do: the inputs matched no image (allow_empty)");
    } else if (!noReport) {
      Reports.write(spark, outcome.out(), root.out, root.err, true);
    }
    root.out.flush();
    if (outcome.failed() > 0) {
      root.err.println(
          outcome.failed()
              + " run(s) FAILED; see `show "
              + outcome.out()
              + "` for the errors."
              + " Running the same command again reruns only those.");
      return ExitCodes.RUNS_FAILED;
    }
    return ExitCodes.OK;
  }
}
