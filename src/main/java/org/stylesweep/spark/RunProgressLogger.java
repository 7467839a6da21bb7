package org.stylesweep.spark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spec.RunSpec;

/**
 * Driver-side progress: one line per finished run, {@code k/N run_id status final_loss seconds
 * ETA}, read from the durable record the task just wrote. Listens only to the stages of one job
 * group.
 */
final class RunProgressLogger extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger("org.stylesweep.progress");

  private final String jobGroup;
  private final List<RunSpec> runs;
  private final String out;
  private final Configuration conf;
  private final long startNanos = System.nanoTime();
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
  private final AtomicInteger done = new AtomicInteger();

  /** The first run of each task in {@link #runs}, and one past the last at the end. */
  private final int[] taskStarts;

  RunProgressLogger(String jobGroup, List<RunSpec> runs, String out, Configuration conf) {
    this(jobGroup, runs.stream().map(List::of).toList(), out, conf, true);
  }

  /** Progress of a job whose task i computes the runs of {@code tasks.get(i)} (batched runs). */
  RunProgressLogger(
      String jobGroup, List<List<RunSpec>> tasks, String out, Configuration conf, boolean batched) {
    this.jobGroup = jobGroup;
    this.runs = tasks.stream().flatMap(List::stream).toList();
    this.taskStarts = new int[tasks.size() + 1];
    for (int i = 0; i < tasks.size(); i++) {
      taskStarts[i + 1] = taskStarts[i] + tasks.get(i).size();
    }
    this.out = out;
    this.conf = conf;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    if (jobStart.properties() != null
        && jobGroup.equals(jobStart.properties().getProperty("spark.jobGroup.id"))) {
      for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageIds())) {
        stages.add((Integer) stage);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (!stages.contains(taskEnd.stageId()) || !(taskEnd.reason() instanceof Success$)) {
      return;
    }
    int task = taskEnd.taskInfo().index();
    if (task >= 0 && task < taskStarts.length - 1) {
      for (int run = taskStarts[task]; run < taskStarts[task + 1]; run++) {
        logFinished(run);
      }
    }
  }

  /**
   * Logs every run not logged yet; called on the driver's own thread after the job succeeded. The
   * listener bus is asynchronous: the events of the last tasks may still be queued when the job
   * returns (and lost once the listener is removed), which dropped the last {@code N/N} line from
   * about a third of the logs. The set of logged runs keeps each line to one.
   */
  void finish() {
    for (int index = 0; index < runs.size(); index++) {
      logFinished(index);
    }
  }

  private void logFinished(int index) {
    if (index < 0 || index >= runs.size() || !finished.add(index)) {
      return;
    }
    RunSpec run = runs.get(index);
    int k = done.incrementAndGet();
    String outcome;
    try {
      RunRecord record =
          RunRecord.fromJson(
              new String(
                  HadoopFiles.readAll(OutputLayout.record(out, run.runId()), conf),
                  StandardCharsets.UTF_8));
      outcome =
          record.ok()
              ? String.format("OK final_loss %.4g %.1fs", record.finalLoss(), record.secondsTotal())
              : String.format("FAILED %.1fs (%s)", record.secondsTotal(), record.error());
    } catch (Exception e) {
      outcome = "finished (record unreadable: " + e.getMessage() + ")";
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    Duration eta = elapsed.multipliedBy(runs.size() - k).dividedBy(k);
    LOG.info("{}/{} {} {} ETA {}", k, runs.size(), run.runId(), outcome, format(eta));
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
