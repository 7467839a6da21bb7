package org.stylesweep.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.stylesweep.common.Errors;
import org.stylesweep.common.UserError;
import org.stylesweep.manifest.LayerNames;
import org.stylesweep.manifest.Manifest;
import org.stylesweep.manifest.ManifestException;
import org.stylesweep.manifest.ManifestParser;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.manifest.SweepPlanner;
import org.stylesweep.model.VggLayers;
import org.stylesweep.weights.WeightsCheck;
import org.stylesweep.weights.WeightsDownloadSource;
import org.stylesweep.weights.WeightsDownloader;
import org.stylesweep.weights.WeightsResolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code stylesweep} command: {@code run}, {@code validate}, {@code show}, {@code report},
 * {@code fetch-weights}.
 *
 * <p>Entry points: {@link #main} (spark-submit, the launcher, a Databricks JAR task; it builds its
 * own SparkSession without forcing a master and stops it at the end) and {@link #run(SparkSession,
 * String...)} (notebooks: uses the given session and never stops it). Exit codes are in {@link
 * ExitCodes}.
 */
@Command(
    name = "stylesweep",
    mixinStandardHelpOptions = true,
    versionProvider = StyleSweep.Version.class,
    description = "Neural style transfer sweeps on Apache Spark.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ShowCommand.class,
      ReportCommand.class,
      FetchWeightsCommand.class,
      StylizeCommand.class,
      GenerateCommand.class,
      org.stylesweep.bench.BenchCommand.class,
      org.stylesweep.bench.StylizeBench.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every run OK", "1:anything else (Spark job failed, output not writable)",
      "2:bad input, nothing run", "3:some runs FAILED while the others finished"
    })
public final class StyleSweep implements Callable<Integer> {

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Spark property for the session stylesweep starts (repeatable); ignored with a notebook's session.")
  List<String> conf = new ArrayList<>();

  @Option(
      names = "--properties-file",
      paramLabel = "FILE",
      description =
          "Spark properties file (e.g. conf/spark-defaults.conf) for the session stylesweep starts.")
  String propertiesFile;

  private final SparkSession given;
  private Sessions sessions;
  final PrintStream out;
  final PrintStream err;

  private StyleSweep(SparkSession given, PrintStream out, PrintStream err) {
    this.given = given;
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(null, System.out, System.err, args));
  }

  /**
   * Runs a command against an existing session (a notebook's) and never stops it. Takes the same
   * arguments as the command line, e.g. {@code run("run", "dbfs:/jobs/x.yaml", "--set",
   * "defaults.steps=50")}.
   *
   * @return the exit code (see {@link ExitCodes})
   */
  public static int run(SparkSession spark, String... args) {
    return execute(spark, System.out, System.err, args);
  }

  /** The picocli command tree, unexecuted (tests parse job parameters with it). */
  static CommandLine commandLine(SparkSession spark, PrintStream out, PrintStream err) {
    return new CommandLine(new StyleSweep(spark, out, err));
  }

  /**
   * The command line with explicit streams (tests); {@code spark} null means start a session if
   * needed.
   */
  static int execute(SparkSession spark, PrintStream out, PrintStream err, String... args) {
    CommandLine cli = commandLine(spark, out, err);
    StyleSweep root = cli.getCommand();
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler((e, command, parseResult) -> failed(e, parseResult, err));
    try {
      return cli.execute(args);
    } catch (org.apache.hadoop.fs.FSError e) {
      // Hadoop's local file system throws this Error (not an IOException) when a write fails, e.g.
      // on a full disk; picocli passes Errors through.
      return failed(e, cli.getParseResult(), err);
    } finally {
      root.closeSessions();
    }
  }

  /**
   * The exit code of a failed command, after one paragraph on {@code err}; the stack trace of an
   * unexpected failure goes to a log file ({@link TraceLog}) or, with {@code --verbose}, to err.
   */
  private static int failed(Throwable e, CommandLine.ParseResult parseResult, PrintStream err) {
    if (e instanceof ManifestException bad) {
      err.println(bad.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof BadInputException bad) {
      err.println("error: " + bad.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof UserError user && user.badInput()) {
      err.println("error: " + user.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    err.println("error: " + (e instanceof UserError user ? user.getMessage() : Errors.explain(e)));
    if (parseResult != null && verbose(parseResult)) {
      e.printStackTrace(err);
    } else {
      err.println(TraceLog.write(e));
    }
    return ExitCodes.ERROR;
  }

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "On an unexpected failure print the full Java stack trace here instead of to a log file.")
  boolean verbose;

  /** True when {@code --verbose} was given to the command or any of its parents. */
  private static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return ExitCodes.BAD_INPUT;
  }

  /** The session for commands that need Spark. */
  Sessions sessions() {
    if (sessions == null) {
      if (given != null) {
        if (!conf.isEmpty() || propertiesFile != null) {
          throw new BadInputException(
              "--conf and --properties-file apply only when stylesweep starts"
                  + " Spark itself; set them on the notebook's cluster instead");
        }
        sessions = Sessions.given(given);
      } else {
        try {
          sessions = Sessions.own(propertiesFile, conf);
        } catch (IllegalArgumentException e) {
          throw new BadInputException(e.getMessage());
        }
      }
    }
    return sessions;
  }

  private void closeSessions() {
    if (sessions != null) {
      sessions.close();
    }
  }

  /** The layer table manifests are checked against. */
  static final LayerNames VGG19_LAYERS = name -> VggLayers.resolve(name).name();

  /** Parses and validates a manifest. */
  Manifest parse(String manifest, List<String> overrides) throws ManifestException {
    return new ManifestParser(sessions().hadoop(), VGG19_LAYERS).parse(manifest, overrides);
  }

  /**
   * The weights resolver every command uses: the cache ({@code $STYLESWEEP_CACHE} or
   * ~/.cache/stylesweep), then a download of {@code model.weights_url} with progress on stderr
   * (commands that may not download skip it), then {@code random:0}.
   */
  WeightsResolver weightsResolver(Configuration hadoop) {
    WeightsDownloader downloader = WeightsDownloader.builder().log(err).build();
    return new WeightsResolver(
        hadoop,
        WeightsResolver.defaultCacheDir(System.getenv(), System.getProperty("user.home")),
        List.of(new WeightsDownloadSource(downloader, WeightsCheck.vgg19())));
  }

  /** Validates, resolves the weights and expands the sweep: everything before Spark. */
  Planned plan(String manifest, List<String> overrides, boolean mayDownload) throws Exception {
    Manifest parsed = parse(manifest, overrides);
    for (String warning : org.stylesweep.manifest.IdleAxes.warnings(parsed)) {
      err.println(warning);
    }
    Configuration hadoop = sessions().hadoop();
    WeightsResolver.Resolution weights;
    try {
      weights = weightsResolver(hadoop).resolve(parsed.model(), mayDownload);
      if (weights.model().weights() instanceof org.stylesweep.spec.WeightsSource.File file) {
        org.stylesweep.weights.WeightsIntegrity.requireWholeIfLocal(new Path(file.uri()));
      }
    } catch (java.io.IOException e) {
      throw new BadInputException("model.weights: " + e.getMessage());
    }
    if (weights.warning() != null) {
      err.println(banner(weights.warning()));
    }
    SweepPlan plan = new SweepPlanner(hadoop).plan(parsed, weights.model());
    return new Planned(plan, weights);
  }

  /**
   * The status of the plan's runs that already have a record in {@code outDir} (none when the
   * folder does not exist or cannot be read: then every run counts as new).
   */
  java.util.Map<String, String> statuses(SweepPlan plan, String outDir) {
    try {
      return org.stylesweep.spark.RecordStatuses.read(
          new Path(outDir),
          plan.runs().stream().map(org.stylesweep.spec.RunSpec::runId).toList(),
          sessions().hadoop());
    } catch (java.io.IOException | RuntimeException e) {
      err.println("note: cannot read the records in " + outDir + " (" + e.getMessage() + ")");
      return java.util.Map.of();
    }
  }

  /** A plan and how its weights were found. */
  record Planned(SweepPlan plan, WeightsResolver.Resolution weights) {}

  /** {@code --out}, defaulting to {@code out/<name>}. */
  static String outDir(String out, Manifest manifest) {
    return out != null ? out : new Path("out", manifest.name()).toString();
  }

  static String banner(String text) {
    String rule = "!".repeat(100);
    return rule
        + "\n"
        + text.lines().map(l -> "!! " + l).reduce((a, b) -> a + "\n" + b).orElse("")
        + "\n"
        + rule;
  }

  /** Bad input found outside the manifest (arguments, a missing output folder): exit code 2. */
  static final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
      super(message);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = StyleSweep.class.getPackage().getImplementationVersion();
      return new String[] {"stylesweep " + (version == null ? "(development build)" : version)};
    }
  }
}
