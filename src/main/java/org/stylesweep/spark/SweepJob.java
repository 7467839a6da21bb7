package org.stylesweep.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.common.OutputLock;
import org.stylesweep.common.UserError;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.WeightsSource;

/**
 * The sweep on Spark. The driver writes the effective manifest, skips runs whose record is already
 * OK (FAILED ones run again), runs the rest as one Spark task each, then rebuilds the metrics table
 * from the records. Runs are long, so each gets its own partition and Spark spreads them over every
 * executor slot. A manifest with a {@code halving} block runs round by round ({@link HalvingJob}).
 */
public final class SweepJob {
  private static final Logger LOG = LoggerFactory.getLogger(SweepJob.class);

  private SweepJob() {}

  /**
   * What a sweep did.
   *
   * @param out the qualified output folder
   * @param planned runs in the manifest
   * @param skipped runs already OK before this call, not computed again
   * @param computed runs computed by this call
   * @param ok runs OK in the metrics table afterwards
   * @param failed runs FAILED in the metrics table afterwards
   * @param earlier rows kept from earlier runs whose inputs are gone
   * @param pruned rows of gone inputs deleted ({@code prune})
   * @param video what the manifest's video runs did, or null when it has none
   */
  public record Outcome(
      String out,
      int planned,
      int skipped,
      int computed,
      long ok,
      long failed,
      long earlier,
      long pruned,
      VideoJob.Outcome video) {

    /** Without video runs. */
    public Outcome(
        String out,
        int planned,
        int skipped,
        int computed,
        long ok,
        long failed,
        long earlier,
        long pruned) {
      this(out, planned, skipped, computed, ok, failed, earlier, pruned, null);
    }

    /** Without rows of earlier runs. */
    public Outcome(String out, int planned, int skipped, int computed, long ok, long failed) {
      this(out, planned, skipped, computed, ok, failed, 0, 0);
    }
  }

  /**
   * Runs the sweep into {@code outDir}; never stops the session.
   *
   * @throws IOException when the output folder cannot be written
   * @throws org.apache.spark.SparkException (unchecked in Java) when the Spark job itself fails,
   *     for example a task that cannot get the GPU the manifest insists on; finished runs keep
   *     their records and the metrics table is rebuilt from them
   */
  public static Outcome run(SparkSession spark, SweepPlan plan, String outDir) throws IOException {
    return run(spark, plan, outDir, false);
  }

  /**
   * Runs the sweep into {@code outDir}, appending a line to its run history; with {@code prune} the
   * records and images of runs whose inputs left the sweep are deleted (without it they keep their
   * rows in the table).
   */
  public static Outcome run(SparkSession spark, SweepPlan plan, String outDir, boolean prune)
      throws IOException {
    // A run that cannot fit in the memory the driver knows of is refused before anything runs.
    MemoryBudget.refuseOversized(spark.sparkContext().getConf(), plan.runs());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String out = HadoopFiles.qualify(new Path(outDir), hadoop).toString();
    makeFolder(new Path(out), hadoop);
    try (OutputLock lock = OutputLock.acquire(new Path(out), hadoop)) {
      makeFolder(new Path(out, OutputLayout.RECORDS), hadoop);
      writeManifest(new Path(out, OutputLayout.MANIFEST), plan, hadoop);
      java.time.Instant started = java.time.Instant.now();
      long t0 = System.nanoTime();
      Outcome outcome = null;
      try {
        outcome =
            plan.manifest().halving() == null
                ? runLocked(spark, plan, out, hadoop, prune)
                : HalvingJob.runLocked(spark, plan, out, hadoop, prune);
        return outcome;
      } finally {
        RunHistory.Entry entry =
            new RunHistory.Entry(
                started,
                outcome == null ? plan.runs().size() : outcome.planned(),
                outcome == null ? 0 : outcome.skipped(),
                outcome == null ? 0 : outcome.computed(),
                outcome == null ? -1 : outcome.failed(),
                (System.nanoTime() - t0) / 1e9,
                plan.manifest().inputCount(),
                outcome == null ? 0 : outcome.earlier(),
                outcome == null ? 0 : outcome.pruned(),
                outcome == null || outcome.video() == null ? 0 : outcome.video().frames(),
                outcome == null || outcome.video() == null ? 0 : outcome.video().computed(),
                outcome == null || outcome.video() == null ? 0 : outcome.video().failed());
        try {
          RunHistory.append(new Path(out), entry, hadoop);
        } catch (IOException | RuntimeException e) {
          LOG.warn("could not add to the run history {}: {}", RunHistory.file(new Path(out)), e);
        }
      }
    }
  }

  /** The first line of the effective manifest: how a rerun knows the file is its own. */
  static final String MANIFEST_MARK =
      "# the effective manifest of this sweep, written by stylesweep run";

  /**
   * Writes the effective manifest, refusing (exit 2) to replace a {@code manifest.yaml} that
   * stylesweep did not write: {@code --out} naming a folder of the user's own files.
   */
  static void writeManifest(Path target, SweepPlan plan, Configuration hadoop) throws IOException {
    if (HadoopFiles.exists(target, hadoop)) {
      String existing = new String(HadoopFiles.readAll(target, hadoop), StandardCharsets.UTF_8);
      boolean ours =
          existing.startsWith(MANIFEST_MARK)
              // Output folders of versions before the mark: a records/ folder with records in it.
              || hasRecords(target.getParent(), hadoop);
      if (!ours) {
        throw new UserError(
            target
                + " exists and was not written by stylesweep (is --out the folder of"
                + " your manifest?). stylesweep writes its effective manifest there and will not replace your"
                + " file: pass an --out of its own, e.g. --out "
                + new Path(target.getParent(), "out/" + plan.manifest().name())
                + ", or leave --out out for out/"
                + plan.manifest().name()
                + ".",
            true);
      }
    }
    HadoopFiles.writeDurably(
        target,
        (MANIFEST_MARK + "\n" + plan.manifest().toYaml()).getBytes(StandardCharsets.UTF_8),
        hadoop);
  }

  private static boolean hasRecords(Path out, Configuration hadoop) throws IOException {
    FileStatus[] records =
        HadoopFiles.fileSystem(out, hadoop)
            .globStatus(new Path(new Path(out, OutputLayout.RECORDS), "*.json"));
    return records != null && records.length > 0;
  }

  /** Creates a folder (and its parents), with a message a user can act on when that fails. */
  static void makeFolder(Path folder, Configuration hadoop) throws IOException {
    FileSystem fs = HadoopFiles.fileSystem(folder, hadoop);
    for (Path p = folder; p != null; p = p.getParent()) {
      FileStatus status;
      try {
        status = fs.getFileStatus(p);
      } catch (java.io.FileNotFoundException absent) {
        continue;
      }
      if (!status.isDirectory()) {
        throw new UserError(
            (p.equals(folder)
                    ? "the output folder "
                    : "the output folder " + folder + " lies under ")
                + p
                + (p.equals(folder) ? " is a file, not a folder" : ", which is a file")
                + ". Pass an --out that is a folder or does not exist yet; nothing was run.",
            true);
      }
      break;
    }
    boolean made;
    IOException why = null;
    try {
      made = fs.mkdirs(folder);
    } catch (IOException e) {
      made = false;
      why = e;
    }
    if (!made) {
      throw new UserError(
          "cannot create the output folder "
              + folder
              + (why == null ? "" : " (" + org.stylesweep.common.Errors.explain(why) + ")")
              + ". Check that you may write there (permissions, a read-only or full disk), or pass another --out.",
          false,
          why);
    }
  }

  private static Outcome runLocked(
      SparkSession spark, SweepPlan plan, String out, Configuration hadoop, boolean prune)
      throws IOException {
    List<String> ids = plan.runs().stream().map(RunSpec::runId).toList();
    int todo = computeMissing(spark, plan.runs(), ids, out, hadoop, plan.manifest().name());
    int skipped = plan.runs().size() - todo;
    return finish(spark, plan, out, ids, skipped, todo, prune);
  }

  /**
   * Computes the runs of {@code runs} that have no OK record yet; when the Spark job fails, the
   * metrics table is rebuilt from the records of {@code tableIds} before the failure is rethrown.
   *
   * @return how many runs were computed
   */
  static int computeMissing(
      SparkSession spark,
      List<RunSpec> runs,
      List<String> tableIds,
      String out,
      Configuration hadoop,
      String name)
      throws IOException {
    List<String> ids = runs.stream().map(RunSpec::runId).toList();
    Map<String, String> earlier = statuses(spark, out, ids);
    List<RunSpec> todo = new ArrayList<>();
    for (RunSpec run : runs) {
      if (!Schemas.OK.equals(earlier.get(run.runId()))) {
        todo.add(run);
      }
    }
    int skipped = runs.size() - todo.size();
    long rerun = earlier.values().stream().filter(Schemas.FAILED::equals).count();
    LOG.info(
        "sweep {}: {} runs into {}; {} already OK (skipped), {} FAILED before (run again), {} new",
        name,
        runs.size(),
        out,
        skipped,
        rerun,
        todo.size() - rerun);

    if (!todo.isEmpty()) {
      try {
        compute(spark, todo, out, hadoop, name);
      } catch (Exception | Error e) {
        // Also Spark's SparkException, which Scala throws unchecked. The finished runs' records
        // still make a valid table: rebuild it, then report the failure.
        try {
          rebuildMetrics(spark, out, tableIds);
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
    return todo.size();
  }

  /** Rebuilds the metrics table from the records of {@code ids} and counts the outcome. */
  static Outcome finish(
      SparkSession spark,
      SweepPlan plan,
      String out,
      List<String> ids,
      int skipped,
      int computed,
      boolean prune)
      throws IOException {
    MetricsTable.Rebuilt rebuilt =
        MetricsTable.rebuild(
            spark, out, ids, plan.manifest().usedContents(), plan.manifest().usedStyles(), prune);
    LOG.info(
        "metrics: {} rows in {} ({} from earlier runs whose inputs are gone{})",
        rebuilt.statuses().size(),
        new Path(out, OutputLayout.METRICS),
        rebuilt.earlier(),
        prune ? ", " + rebuilt.pruned() + " pruned" : "");
    VideoJob.Outcome video = null;
    if (!plan.manifest().videos().isEmpty()) {
      video = VideoJob.run(spark, plan, out);
      LOG.info(
          "video runs: {} runs, {} frames ({} computed now, {} FAILED) into {}",
          video.runs(),
          video.frames(),
          video.computed(),
          video.failed(),
          new Path(out, VideoLayout.VIDEOS));
    }
    java.util.Set<String> planned = new java.util.HashSet<>(ids);
    long ok = 0;
    long failed = 0;
    for (Map.Entry<String, String> e : rebuilt.statuses().entrySet()) {
      if (planned.contains(e.getKey())) {
        ok += Schemas.OK.equals(e.getValue()) ? 1 : 0;
        failed += Schemas.FAILED.equals(e.getValue()) ? 1 : 0;
      }
    }
    return new Outcome(
        out, ids.size(), skipped, computed, ok, failed, rebuilt.earlier(), rebuilt.pruned(), video);
  }

  private static void compute(
      SparkSession spark, List<RunSpec> todo, String out, Configuration hadoop, String name) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (!jsc.sc().isLocal()) {
      shipLocalWeights(jsc, todo.get(0));
    }
    Broadcast<HadoopConfBytes> conf = jsc.broadcast(new HadoopConfBytes(hadoop));
    String group = "stylesweep-" + UUID.randomUUID();
    List<List<RunSpec>> batches = RunBatches.group(todo, RunBatches.size(jsc.sc().conf()));
    RunProgressLogger progress = new RunProgressLogger(group, batches, out, hadoop, true);
    jsc.sc().addSparkListener(progress);
    jsc.setJobGroup(group, "stylesweep " + name + ": " + todo.size() + " runs", true);
    EngineThreads.LocalShare share =
        EngineThreads.LocalShare.of(
            group, jsc.sc().master(), jsc.sc().conf().getInt("spark.task.cpus", 1), batches.size());
    if (share != null) {
      LOG.info(
          "local mode: {} cores, {} runs at a time; each run gets {} libtorch threads, more for the"
              + " last runs as others finish",
          share.cores(),
          share.slots(),
          share.threadsNow());
    }
    try {
      // One task per partition: parallelize slices the list evenly, so n slices hold one each.
      if (batches.size() == todo.size()) {
        jsc.parallelize(todo, todo.size()).map(new RunTask(out, conf, share)).collect();
      } else {
        LOG.info(
            "{} runs in {} tasks of up to {} runs evaluated together ({})",
            todo.size(),
            batches.size(),
            RunBatches.size(jsc.sc().conf()),
            RunBatches.CONF);
        jsc.parallelize(batches, batches.size())
            .flatMap(new BatchTask(new RunTask(out, conf, share)))
            .collect();
      }
      progress.finish();
    } finally {
      if (share != null) {
        share.forget();
      }
      jsc.clearJobGroup();
      jsc.sc().removeSparkListener(progress);
      conf.destroy();
    }
  }

  /**
   * Executors on other machines cannot read the driver's local weights file: ship it with the job
   * (executors then find it with {@code SparkFiles.get}).
   */
  private static void shipLocalWeights(JavaSparkContext jsc, RunSpec run) {
    if (run.model().weights() instanceof WeightsSource.File file && file.isLocal()) {
      String weights = file.uri();
      LOG.info("shipping weights {} to the executors", weights);
      jsc.addFile(weights);
    }
  }

  private static Map<String, String> rebuildMetrics(
      SparkSession spark, String out, List<String> ids) throws IOException {
    Map<String, String> statuses = MetricsTable.rebuild(spark, out, ids);
    LOG.info("metrics: {} rows in {}", statuses.size(), new Path(out, OutputLayout.METRICS));
    return statuses;
  }

  /**
   * Status of each planned run that has a record (OK or FAILED); a record that does not parse is
   * set aside (see {@link MetricsTable#readRecords(SparkSession, String, boolean)}), so its run is
   * computed again.
   */
  static Map<String, String> statuses(SparkSession spark, String out, List<String> ids)
      throws IOException {
    Map<String, String> statuses = new HashMap<>();
    for (Row row :
        MetricsTable.readRecords(spark, out, true)
            .where(col("run_id").isin(ids.toArray()))
            .select("run_id", "status")
            .collectAsList()) {
      statuses.put(row.getString(0), row.getString(1));
    }
    return statuses;
  }
}
