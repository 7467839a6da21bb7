# Databricks notebook source
# MAGIC %md
# MAGIC # stylesweep on Databricks
# MAGIC
# MAGIC Runs a style-transfer sweep on this cluster's GPUs through the notebook's own SparkSession, then
# MAGIC shows a grid, the HTML report and the metrics table.
# MAGIC
# MAGIC **Cluster it needs**
# MAGIC - Access mode **Dedicated (single user)**: the sweep runs JVM code from a jar through `spark._jvm`,
# MAGIC   which standard (shared) access mode forbids.
# MAGIC - Databricks Runtime **17.x ML with GPU** (Spark 4.0, Scala 2.13), e.g. `17.3.x-gpu-ml-scala2.13`,
# MAGIC   on GPU nodes (e.g. `g5.2xlarge`).
# MAGIC - Spark config: `spark.executor.resource.gpu.amount 1`, `spark.task.resource.gpu.amount 1`
# MAGIC   (0.5 lets two runs share a GPU), `spark.executor.extraJavaOptions -Dai.djl.pytorch.graph_optimizer=false`.
# MAGIC - Environment variables: `PYTORCH_VERSION=2.7.1`, `PYTORCH_FLAVOR=cu128` (as in `conf/spark-gpu.conf`),
# MAGIC   `DJL_CACHE_DIR=/local_disk0/djl-cache`, `ENGINE_CACHE_DIR=/local_disk0/djl-cache`,
# MAGIC   `STYLESWEEP_CACHE=/local_disk0/stylesweep-cache`. DJL downloads the CUDA build of libtorch on
# MAGIC   first use into `ENGINE_CACHE_DIR`; cu128 needs an NVIDIA driver that supports CUDA 12.8.
# MAGIC - Library: the cluster jar built with `mvn -P cluster -DskipTests package`
# MAGIC   (`target/stylesweep-0.1.0-SNAPSHOT-cluster.jar`), uploaded to `dbfs:/FileStore/jars/`.

# COMMAND ----------

# Attach the jar. Installing a cluster library from a notebook needs a detach/re-attach of the notebook
# (or a cluster restart) before the JVM sees it; skip this cell if the jar is already a cluster library.
JAR = "dbfs:/FileStore/jars/stylesweep-0.1.0-SNAPSHOT-cluster.jar"

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.compute import Library

w = WorkspaceClient()
cluster_id = spark.conf.get("spark.databricks.clusterUsageTags.clusterId")
installed = {s.library.jar for s in w.libraries.cluster_status(cluster_id) if s.library and s.library.jar}
if JAR not in installed:
    w.libraries.install(cluster_id, [Library(jar=JAR)])
    print(f"Installed {JAR}; detach and re-attach this notebook, then run it again.")
else:
    print(f"{JAR} is attached.")

# COMMAND ----------

dbutils.widgets.text("manifest", "s3a://my-bucket/stylesweep/jobs/part3-style-transfer.yaml")
dbutils.widgets.text("out", "s3a://my-bucket/stylesweep/out/notebook")
dbutils.widgets.text("extra", "")  # e.g. "--set defaults.steps=100"

MANIFEST = dbutils.widgets.get("manifest")
OUT = dbutils.widgets.get("out")
EXTRA = dbutils.widgets.get("extra").split()

# COMMAND ----------

# Run the sweep through the public entry point. It uses this notebook's SparkSession and never stops it.
# Exit code: 0 all runs OK, 2 bad input (nothing ran), 3 some runs FAILED, 1 anything else.
def stylesweep(*args):
    jargs = spark._sc._gateway.new_array(spark._jvm.java.lang.String, len(args))
    for i, a in enumerate(args):
        jargs[i] = a
    return spark._jvm.org.stylesweep.cli.StyleSweep.run(spark._jsparkSession, jargs)

rc = stylesweep("run", MANIFEST, "--out", OUT, *EXTRA)
print("exit code", rc)
assert rc in (0, 3), f"sweep failed with exit code {rc}; see the driver log"

# COMMAND ----------

# Show the grids the job wrote under <out>/grids/.
import base64

def read_bytes(path):
    # Works for dbfs:/, s3a:// and other Hadoop paths through the JVM's FileSystem.
    jpath = spark._jvm.org.apache.hadoop.fs.Path(path)
    fs = jpath.getFileSystem(spark._jsc.hadoopConfiguration())
    stream = fs.open(jpath)
    try:
        return bytes(spark._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
    finally:
        stream.close()

grids = [f.path for f in dbutils.fs.ls(OUT.replace("s3a://", "s3://") + "/grids") if f.path.endswith(".png")]
displayHTML("".join(
    f'<h4>{p.rsplit("/", 1)[-1]}</h4><img style="max-width:100%" src="data:image/png;base64,'
    + base64.b64encode(read_bytes(p.replace("s3://", "s3a://"))).decode() + '"/>'
    for p in grids))

# COMMAND ----------

# Show the HTML report. Its images are relative files, so inline them for displayHTML.
import re

REPORT = OUT + "/report"
html = read_bytes(REPORT + "/index.html").decode("utf-8")
def inline(match):
    src = match.group(1)
    if src.startswith(("data:", "http")):
        return match.group(0)
    kind = "svg+xml" if src.endswith(".svg") else "png"
    return f'src="data:image/{kind};base64,{base64.b64encode(read_bytes(REPORT + "/" + src)).decode()}"'
displayHTML(re.sub(r'src="([^"]+)"', inline, html))

# COMMAND ----------

spark.read.parquet(OUT + "/metrics").createOrReplaceTempView("stylesweep_metrics")

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT task, init, status, count(*) AS runs,
# MAGIC        round(avg(final_loss), 2) AS mean_final_loss,
# MAGIC        round(avg(ms_per_evaluation), 1) AS ms_per_eval,
# MAGIC        round(sum(seconds_total), 1) AS seconds
# MAGIC FROM stylesweep_metrics
# MAGIC GROUP BY task, init, status
# MAGIC ORDER BY task, init, status

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT run_id, content, style, init, seed, evaluations, stop_reason, final_loss, error
# MAGIC FROM stylesweep_metrics
# MAGIC ORDER BY final_loss
