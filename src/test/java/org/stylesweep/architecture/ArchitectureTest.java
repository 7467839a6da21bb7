package org.stylesweep.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the packages (docs/contributing.md draws it), bottom to top:
 *
 * <pre>
 *   common
 *   spec                      the vocabulary: parameter table, specs, enums
 *   image, model, loss, optim the engine's parts
 *   transfer, video,          one run; a clip's codec, flow and masks (video uses transfer);
 *   feedforward               feed-forward networks (training, inference)
 *   manifest, weights, halving the driver's inputs (halving: successive halving's rounds)
 *   spark                     the jobs
 *   report, bench             what reads the jobs' output / measures them
 *   cli                       the command, on top
 * </pre>
 *
 * The engine never sees the manifest, Spark jobs, the report or the command line, so it can run in
 * any host (a test, the bench, a Spark task) and later features (video, feed-forward training) plug
 * in beside it.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.stylesweep");
  }

  static final String ROOT = "org.stylesweep.";

  /**
   * The rule; kept as a method so that the cycle check below can be shown failing on a made-up
   * cycle.
   */
  static ArchRule layering() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("org.stylesweep..")
        .layer("common")
        .definedBy(ROOT + "common..")
        .layer("spec")
        .definedBy(ROOT + "spec..")
        .layer("engine")
        .definedBy(ROOT + "image..", ROOT + "model..", ROOT + "loss..", ROOT + "optim..")
        .layer("transfer")
        .definedBy(ROOT + "transfer..", ROOT + "video..", ROOT + "feedforward..")
        .layer("driver inputs")
        .definedBy(ROOT + "manifest..", ROOT + "weights..", ROOT + "halving..")
        .layer("jobs")
        .definedBy(ROOT + "spark..")
        .layer("outputs")
        .definedBy(ROOT + "report..", ROOT + "bench..")
        .layer("cli")
        .definedBy(ROOT + "cli..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("outputs")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("jobs")
        .mayOnlyBeAccessedByLayers("outputs", "cli")
        .whereLayer("driver inputs")
        .mayOnlyBeAccessedByLayers("jobs", "outputs", "cli")
        .whereLayer("transfer")
        .mayOnlyBeAccessedByLayers("jobs", "outputs", "cli")
        .whereLayer("engine")
        .mayOnlyBeAccessedByLayers("transfer", "driver inputs", "jobs", "outputs", "cli")
        .whereLayer("spec")
        .mayOnlyBeAccessedByLayers("engine", "transfer", "driver inputs", "jobs", "outputs", "cli")
        .because(
            "the engine must not depend on the manifest, the jobs, the report or the command line");
  }

  @Test
  void packagesAreLayeredWithTheEngineBelowTheJobsAndTheCliOnTop() {
    layering().check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.stylesweep.(*)..").should().beFreeOfCycles().check(classes);
  }
}
