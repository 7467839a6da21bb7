package org.stylesweep.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spark.MetricsTable;
import org.stylesweep.spark.RunHistory;
import org.stylesweep.spark.Schemas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code show OUT}: the runs of a sweep's output folder as a table, or as JSON lines. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Print the runs of an output folder: a table, or one JSON object per run with --json.")
final class ShowCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Parameters(index = "0", paramLabel = "OUT", description = "Output folder of a sweep.")
  String out;

  @Option(names = "--json", description = "One JSON object per run with every metrics column.")
  boolean json;

  /** The run history, oldest first (nothing for a folder written before it existed). */
  private void printHistory(List<RunHistory.Entry> history) {
    if (history.isEmpty()) {
      return;
    }
    root.out.println();
    root.out.println("history (" + history.size() + " runs into this folder, oldest first):");
    history.forEach(e -> root.out.println("  " + e.describe()));
  }

  @Option(
      names = "--front",
      description =
          "Only the runs on the Pareto front of content distance (quality_content_feature) against"
              + " style distance (quality_style_gram), per content x style pair.")
  boolean front;

  @Override
  public Integer call() throws Exception {
    Path outPath = new Path(out);
    if (!HadoopFiles.exists(outPath, root.sessions().hadoop())) {
      throw new StyleSweep.BadInputException("no such output folder: " + out);
    }
    SparkSession spark = root.sessions().get();
    Path qualified = HadoopFiles.qualify(outPath, root.sessions().hadoop());
    Dataset<Row> runs =
        MetricsTable.read(spark, qualified.toString())
            .orderBy(col("content"), col("style"), col("started_at"));
    List<Row> rows = runs.collectAsList();
    List<RunHistory.Entry> history = RunHistory.read(qualified, root.sessions().hadoop());
    if (rows.isEmpty() && !history.isEmpty() && !json) {
      root.out.println("no runs recorded yet");
      printHistory(history);
      root.out.flush();
      return ExitCodes.OK;
    }
    if (rows.isEmpty()) {
      throw new StyleSweep.BadInputException(
          "no runs recorded under " + out + " (no metrics/ and no records/)");
    }
    Set<String> onFront = RunTable.front(rows);
    if (front) {
      if (onFront.isEmpty()) {
        throw new StyleSweep.BadInputException(
            "no run under "
                + out
                + " has both quality_content_feature and quality_style_gram (transfer runs do)");
      }
      rows = rows.stream().filter(r -> onFront.contains((String) r.getAs("run_id"))).toList();
      runs = runs.where(col("run_id").isin(onFront.toArray()));
    }
    if (json) {
      Column[] all =
          Arrays.stream(Schemas.METRICS.fieldNames())
              .map(org.apache.spark.sql.functions::col)
              .toArray(Column[]::new);
      for (Row line :
          runs.select(to_json(struct(all), Map.of("ignoreNullFields", "false"))).collectAsList()) {
        root.out.println(line.getString(0));
      }
    } else {
      root.out.print(RunTable.render(rows, onFront));
      printHistory(history);
    }
    root.out.flush();
    return ExitCodes.OK;
  }
}
