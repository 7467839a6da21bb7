package org.stylesweep.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code report OUT}: rebuilds grids and the HTML report from the metrics table and images. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Rebuild grids and the HTML report of an output folder. Runs nothing.")
final class ReportCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Parameters(index = "0", paramLabel = "OUT", description = "Output folder of a sweep.")
  String out;

  @Override
  public Integer call() throws Exception {
    Path outPath = new Path(out);
    if (!HadoopFiles.exists(outPath, root.sessions().hadoop())) {
      throw new StyleSweep.BadInputException("no such output folder: " + out);
    }
    String qualified = HadoopFiles.qualify(outPath, root.sessions().hadoop()).toString();
    try {
      Reports.write(root.sessions().get(), qualified, root.out, root.err, false);
    } catch (IllegalArgumentException e) {
      throw new StyleSweep.BadInputException(e.getMessage());
    }
    return ExitCodes.OK;
  }
}
