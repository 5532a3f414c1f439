"""The public tests as a student runs them: `pytest` in the assignment folder, no grader.

The first two tests run for every assignment; the others check 02_perceptron's
messages in detail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_kit, put_reference
from grader.paths import Course

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "assignments" / "02_perceptron"
SOLUTION = ROOT / "reference" / "02_perceptron" / "solution"


ASSIGNMENTS = Course(ROOT).assignment_names()


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return copy_kit("02_perceptron", tmp_path)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_skeleton_fails_cleanly(assignment: str, tmp_path: Path) -> None:
    done = run_pytest(copy_kit(assignment, tmp_path))
    assert done.returncode == 1, done.stdout
    assert " passed" not in done.stdout.splitlines()[-1], done.stdout
    assert "まだ実装されていません" in done.stdout and "not implemented yet" in done.stdout
    assert "Traceback" not in done.stdout and "_pytest" not in done.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_reference_passes_its_public_tests(assignment: str, tmp_path: Path) -> None:
    kit = copy_kit(assignment, tmp_path)
    put_reference(kit, assignment)
    done = run_pytest(kit)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_tests_run_from_scripts_in_either_language(assignment: str, tmp_path: Path) -> None:
    """The slides have students work in scripts/ (004 「プログラムの実行（/scripts内で実行）」)."""
    kit = copy_kit(assignment, tmp_path)
    at_root = run_pytest(kit, "--lang", "en")
    in_scripts = run_pytest(kit, "--lang", "ja", cwd=kit / "scripts")
    assert in_scripts.returncode == 1, in_scripts.stdout + in_scripts.stderr
    failed = [line for line in at_root.stdout.splitlines() if line.startswith("FAILED")]
    assert failed and at_root.stdout.splitlines()[-1].split(" in ")[0] == \
        in_scripts.stdout.splitlines()[-1].split(" in ")[0]
    assert "まだ実装されていません" in in_scripts.stdout
    assert "not implemented yet" not in in_scripts.stdout
    put_reference(kit, assignment)
    assert run_pytest(kit, cwd=kit / "scripts").returncode == 0


def test_template_beside_the_renamed_file_is_ignored(kit: Path) -> None:
    """ex_02_s2601234.py next to the untouched ex_02_student_id.py: the grader takes the
    renamed file, and so do the public tests (studentops.find_module_file)."""
    put_reference(kit, "02_perceptron", keep_templates=True)
    assert (kit / "scripts" / "ex_02_student_id.py").is_file()
    assert (kit / "scripts" / "ex_02_s2601234.py").is_file()
    done = run_pytest(kit)
    assert done.returncode == 0, done.stdout


def run_pytest(kit: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``uv run pytest`` as a student types it: the console script, which (unlike
    ``python -m pytest``) does not put the working directory on sys.path (-P)."""
    return subprocess.run([sys.executable, "-P", "-m", "pytest", "-p", "no:cacheprovider",
                           *args],
                          cwd=cwd or kit, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


def test_skeleton_messages_name_the_function(kit: Path) -> None:
    done = run_pytest(kit)
    assert "20 failed" in done.stdout
    assert "predict はまだ実装されていません" in done.stdout
    assert "predict is not implemented yet" in done.stdout


def test_language_option(kit: Path) -> None:
    done = run_pytest(kit, "--lang", "en")
    assert "is not implemented yet" in done.stdout and "実装されていません" not in done.stdout


def test_wrong_value_shows_expected_and_actual(kit: Path) -> None:
    shutil.copy(SOLUTION / "gradient_method.py", kit / "scripts" / "gradient_method.py")
    path = kit / "scripts" / "gradient_method.py"
    path.write_text(path.read_text("utf-8").replace("return w * x + b", "return w * x"), "utf-8")
    done = run_pytest(kit, "tests/test_gradient_method.py::test_predict")
    assert "expected 1, got 0" in done.stdout and "期待 1、実際 0" in done.stdout


def test_syntax_error_is_one_line(kit: Path) -> None:
    path = kit / "scripts" / "perceptron.py"
    path.write_text(path.read_text("utf-8").replace("def forward(self, x):",
                                                    "def forward(self, x)"), "utf-8")
    done = run_pytest(kit, "tests/test_perceptron.py")
    assert "perceptron.py line" in done.stdout and "SyntaxError" in done.stdout
    assert "Traceback" not in done.stdout


def local_import_cycles(folder: Path) -> list[list[str]]:
    """Cycles among the modules of one folder (``import x`` / ``from x import y`` of a
    sibling file, anywhere in the file)."""
    import ast

    modules = {p.stem: p for p in folder.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError:
            graph[name] = set()  # a broken sample: graded as such, no imports to follow
            continue
        used = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                used |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                used.add(node.module.split(".")[0])
        graph[name] = used & set(modules) - {name}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for following in sorted(graph[node]):
            if following in path:
                cycle = path[path.index(following):]
                if min(cycle) == cycle[0]:
                    cycles.append(cycle)
            else:
                visit(following, [*path, following])

    for start in sorted(graph):
        visit(start, [start])
    return cycles


def code_folders() -> list[Path]:
    """What students get and what they hand in: skeletons, reference, every sample."""
    folders = [ROOT / "assignments" / a / "scripts" for a in ASSIGNMENTS]
    folders += [ROOT / "reference" / a / "solution" for a in ASSIGNMENTS]
    folders += sorted(p for p in (ROOT / "submissions").glob("*/*/scripts") if p.is_dir())
    return folders


@pytest.mark.parametrize("folder", code_folders(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_cycles(folder: Path) -> None:
    assert local_import_cycles(folder) == []


def test_import_cycles_are_found(tmp_path: Path) -> None:
    (tmp_path / "two_layer_net.py").write_text("from train_neuralnet import load\n")
    (tmp_path / "train_neuralnet.py").write_text("def f():\n    import two_layer_net\n")
    (tmp_path / "layers.py").write_text("import numpy\n")
    assert local_import_cycles(tmp_path) == [["train_neuralnet", "two_layer_net"]]


# (assignment, module, plotting function, figure, the public test that checks it)
FIGURE_TESTS = [
    ("01_numerical_gradient", "saddle_plateau", "plot_saddle_plateau", "saddle_plateau.png",
     "tests/test_numgrad_saddle_plateau.py"),
    ("01_numerical_gradient", "sgd", "plot_comparison", "minibatch_comparison.png",
     "tests/test_numgrad_sgd.py"),
    ("03_backprop", "regression", "plot_fit", "regression_fit.png", "tests/test_regression.py"),
    ("05_ct_classifier", "ct_classifier", "plot_training", "ct_training.png",
     "tests/test_ct_classifier.py"),
]


@pytest.mark.parametrize("assignment, module, function, figure, test_file", FIGURE_TESTS,
                         ids=[case[3] for case in FIGURE_TESTS])
def test_a_figure_from_an_earlier_run_does_not_pass(assignment: str, module: str,
                                                    function: str, figure: str,
                                                    test_file: str, tmp_path: Path) -> None:
    """A plotting function that saves nothing fails its public test locally, even with
    the figure of an earlier (working) run still in outputs/."""
    kit = copy_kit(assignment, tmp_path)
    put_reference(kit, assignment)
    assert run_pytest(kit, test_file).returncode == 0
    assert (kit / "outputs" / figure).is_file()  # the earlier run's figure
    with (kit / "scripts" / f"{module}.py").open("a", encoding="utf-8") as source:
        source.write(f"\n\ndef {function}(*args, **kwargs):\n    pass\n")
    done = run_pytest(kit, test_file)
    assert done.returncode == 1, done.stdout
    assert figure in done.stdout
