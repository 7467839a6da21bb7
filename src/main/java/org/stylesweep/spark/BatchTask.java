package org.stylesweep.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.EvaluationBatch;

/**
 * A batch of runs in one Spark task ({@code spark.stylesweep.batchRuns} above 1): each run is
 * {@link RunTask}'s, on a thread of its own with a seat in one {@link EvaluationBatch}, so that
 * every evaluation is one network pass for all the runs still going. Records, images and failures
 * are each run's, as without batching; a run that fails leaves the batch and the others go on.
 */
final class BatchTask implements FlatMapFunction<List<RunSpec>, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchTask.class);

  private final RunTask runs;

  BatchTask(RunTask runs) {
    this.runs = runs;
  }

  @Override
  public Iterator<String> call(List<RunSpec> batch) throws Exception {
    TaskContext task = TaskContext.get();
    try {
      if (batch.size() == 1) {
        return List.of(runs.compute(batch.get(0), task, null)).iterator();
      }
      return together(batch, task).iterator();
    } finally {
      if (runs.share() != null) {
        runs.share().finished();
      }
    }
  }

  private List<String> together(List<RunSpec> batch, TaskContext task) throws Exception {
    LOG.info(
        "batch of {} runs evaluated together: {}",
        batch.size(),
        batch.stream().map(RunSpec::runId).toList());
    List<EvaluationBatch.Seat> seats = EvaluationBatch.seats(batch.size());
    // The task's libtorch threads, for whichever run's thread evaluates the batch.
    int threads = Math.max(1, EngineThreads.current());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            batch.size(),
            r -> {
              Thread t =
                  new Thread(r, "stylesweep-batch-" + (task == null ? 0 : task.taskAttemptId()));
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        RunSpec spec = batch.get(i);
        EvaluationBatch.Seat seat = seats.get(i);
        futures.add(
            pool.submit(
                () -> {
                  try {
                    EngineThreads.apply(threads);
                    return runs.compute(spec, task, seat);
                  } finally {
                    // a run that failed before its transfer started must not keep the others
                    // waiting
                    seat.leave();
                  }
                }));
      }
      List<String> records = new ArrayList<>();
      for (Future<String> f : futures) {
        try {
          records.add(f.get());
        } catch (ExecutionException e) {
          // Only what fails the task itself gets here (a device the manifest insists on).
          pool.shutdownNow();
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
      LOG.info("batch of {} runs done: {}", batch.size(), seats.get(0).passes());
      return records;
    } finally {
      pool.shutdownNow();
    }
  }
}
