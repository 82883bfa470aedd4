"""Spark SQL through PySpark: a local session (``spark://local[N]``) or a standalone cluster
(``spark://HOST:PORT``). The tables are those of the session's catalog; ``--query`` reaches
files directly (``SELECT * FROM parquet.`/lake/chats```)."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from auditkit.bias.engines import Engine, missing_driver
from auditkit.i18n import _

if TYPE_CHECKING:
    import pandas as pd


def master_of(url: str) -> str:
    """spark://local[4] → local[4]; spark://local → local[*]; spark://host:7077 stays."""
    rest = url.split("://", 1)[1] if "://" in url else url.split(":", 1)[1]
    if rest.startswith("local"):
        return rest if "[" in rest else "local[*]"
    return "spark://" + rest.split("/", 1)[0]


@contextlib.contextmanager
def _quiet_jvm() -> Iterator[None]:
    """The JVM Spark starts inherits standard error and fills it with log4j banners and
    warnings meant for Spark developers. It gets /dev/null instead (its errors still reach
    Python through py4j); with --debug it keeps the terminal."""
    if os.environ.get("AUDITKIT_DEBUG"):
        yield
        return
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PySpark's warnings about the pandas version
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class Spark(Engine):
    session: Any = None  # the SparkSession, set by connect()
    created: bool = False  # this engine started the session, so close() stops it

    @classmethod
    def connect(cls, url: str) -> Spark:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from pyspark.sql import SparkSession
        except ImportError:
            raise missing_driver("Spark", "pyspark", "spark") from None
        engine = cls(url, dialect="spark", title="Spark")
        master = master_of(url)
        if master.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no traffic off this machine
        engine.created = SparkSession.getActiveSession() is None
        try:
            with _quiet_jvm():
                engine.session = (
                    SparkSession.builder.master(master)
                    .appName("auditkit bias")
                    .config("spark.ui.enabled", "false")
                    .config("spark.log.level", "ERROR")
                    .getOrCreate()
                )
        except Exception as error:  # py4j and Java raise many kinds
            raise engine.fail(
                _("cannot start a Spark session"),
                error,
                _("check that Java 17 or newer is installed and, for a cluster, the master URL"),
            ) from None
        return engine

    def columns(self, relation: str) -> dict[str, bool]:
        from pyspark.sql.types import NumericType

        schema = self.session.sql(f"SELECT * FROM {relation} AS src LIMIT 0").schema
        return {f.name: isinstance(f.dataType, NumericType) for f in schema.fields}

    def run(self, sql: str) -> pd.DataFrame:
        import pandas as pd

        frame = self.session.sql(sql)
        return pd.DataFrame.from_records(
            [tuple(row) for row in frame.collect()], columns=frame.columns
        )

    def progress(self) -> float | None:
        tracker = self.session.sparkContext.statusTracker()
        stages = [tracker.getStageInfo(s) for s in tracker.getActiveStageIds()]
        total = sum(s.numTasks for s in stages if s)
        return 100.0 * sum(s.numCompletedTasks for s in stages if s) / total if total else None

    def close(self) -> None:
        if self.created:
            self.session.stop()

    def translate(self, error: Exception) -> Exception:
        from pyspark.errors import AnalysisException, ParseException

        if isinstance(error, AnalysisException) and "TABLE_OR_VIEW_NOT_FOUND" in str(error):
            return self.fail(
                _("no such table"), error, _("check --table (DATABASE.NAME) or --query")
            )
        if isinstance(error, AnalysisException | ParseException):
            return self.fail(_("the query does not run"), error, _("check --query"))
        return error
