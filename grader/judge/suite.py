"""An assignment's test suite kept collected in a warm judge, run once per job.

``pytest.main`` per job configures pytest (plugins, options, ini) and collects every
test module again: about a tenth of a judge's time per submission. A warm judge process
(``judge/serve.py``) instead configures and collects an assignment's suite once and then,
for each job, runs the collected items through pytest's own run protocol, exactly as
``pytest_runtestloop`` does. Each run ends with every fixture torn down (the last item
has no next item), so nothing of one student's run is left for the next; the job's
:class:`JudgePlugin` receives the fixtures and hooks through the one plugin registered
here, :class:`Delegate`.

Test modules were already imported once per judge process; what is shared now is also
pytest's configuration and the collected items. A suite that cannot be set up this way,
or a run that fails inside pytest, falls back to or is reported like ``pytest.main``.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import Any

import pytest

from grader.judge.plugin import ItemRecord, JudgePlugin, item_key


class Delegate:
    """The plugin a kept suite registers once: fixtures and hooks of the current job."""

    def __init__(self) -> None:
        self.current: JudgePlugin | None = None
        self.collected: list[str] = []
        self.collect_errors: list[str] = []
        self.internal_errors: list[str] = []

    def _job(self) -> JudgePlugin:
        if self.current is None:
            raise RuntimeError("a kept suite ran without a job")
        return self.current

    # ------------------------------------------------------------------ fixtures
    @pytest.fixture
    def student(self) -> Any:
        return self._job().make_student()

    @pytest.fixture
    def reference(self) -> Any:
        return self._job().make_reference()

    @pytest.fixture
    def artifacts(self, request: pytest.FixtureRequest) -> Any:
        return self._job().make_artifacts(request.node.nodeid)

    @pytest.fixture
    def conventions(self, request: pytest.FixtureRequest) -> Any:
        return self._job().make_conventions(request.node.nodeid)

    @pytest.fixture
    def mistakes(self) -> dict:
        return self._job().load_mistakes()

    # ------------------------------------------------------------------ hooks
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.collected = [item_key(item.nodeid) for item in items]
        JudgePlugin.shorten_failures(items)

    def pytest_internalerror(self, excrepr: object) -> None:
        if self.current is not None:
            self.current.internal_errors.append(str(excrepr)[-2000:])
        else:
            self.internal_errors.append(str(excrepr)[-2000:])

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._job().pytest_runtest_setup(item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo) -> Iterator[None]:
        outcome: Any = yield
        self._job().after_report(item, call, outcome.get_result())


class KeptSuite:
    """One assignment's suite, configured and collected once."""

    def __init__(self, args: list[str]) -> None:
        self.delegate = Delegate()
        # The terminal reporter writes to the stdout it finds at configuration: a buffer
        # of ours, emptied after every run, never the judge's own stdout.
        self.sink = io.StringIO()
        # pytest's own internals (what pytest.main does before its run loop): imported
        # here so that a pytest without them only costs the kept suite (see kept_suite).
        from _pytest.config import _prepareconfig
        from _pytest.main import Session

        with self._quiet():
            self.config = _prepareconfig(args, plugins=[self.delegate])
            self.session = Session.from_config(self.config)
            self.config._do_configure()
            self.config.hook.pytest_sessionstart(session=self.session)
            self.config.hook.pytest_collection(session=self.session)
        self.items: list[pytest.Item] = list(self.session.items)
        self.broken = bool(self.delegate.internal_errors)

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        cwd = os.getcwd()
        try:
            with contextlib.redirect_stdout(self.sink), contextlib.redirect_stderr(self.sink):
                yield
        finally:
            os.chdir(cwd)
            self.sink.seek(0)
            self.sink.truncate()

    def _forget_reports(self) -> None:
        """The terminal reporter keeps every report for its end-of-session summary,
        which a kept suite never prints: 132 reports a job for 02, kept for good."""
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        stats = getattr(reporter, "stats", None)
        if isinstance(stats, dict):
            stats.clear()

    def run(self, plugin: JudgePlugin) -> int:
        """Run every collected test for one job; returns pytest's exit code for it."""
        plugin.collected = list(self.delegate.collected)
        plugin.collect_errors = list(self.delegate.collect_errors)
        for key in plugin.collected:
            plugin.records.setdefault(key, ItemRecord(key))
        if plugin.collect_errors:
            return int(pytest.ExitCode.INTERRUPTED)
        self.delegate.current = plugin
        try:
            with self._quiet():
                for index, item in enumerate(self.items):
                    following = self.items[index + 1] if index + 1 < len(self.items) else None
                    item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        except Exception as error:  # noqa: BLE001 - like pytest.main: an internal error
            self.broken = True
            plugin.internal_errors.append(f"{type(error).__name__}: {error}"[-2000:])
            return int(pytest.ExitCode.INTERNAL_ERROR)
        finally:
            self.delegate.current = None
            self._forget_reports()
        failed = any(record.status != "passed" for record in plugin.records.values())
        return int(pytest.ExitCode.TESTS_FAILED if failed else pytest.ExitCode.OK)


_kept: dict[tuple, KeptSuite] = {}
_unavailable: set[tuple] = set()


def kept_suite(key: tuple, args: list[str]) -> KeptSuite | None:
    """The kept suite for ``key`` (assignment and suite hash), set up on first use; None
    when it cannot be (a pytest whose internals differ): the job then uses pytest.main."""
    if key in _unavailable:
        return None
    suite = _kept.get(key)
    if suite is None or suite.broken:
        try:
            suite = _kept[key] = KeptSuite(args)
        except Exception:  # noqa: BLE001 - never a reason not to grade
            _unavailable.add(key)
            _kept.pop(key, None)
            return None
    return suite
