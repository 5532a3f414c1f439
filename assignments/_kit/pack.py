"""提出用 zip を作ります / Makes the zip you upload to the LMS.

    uv run pack.py <学籍番号>          (課題のフォルダで / in the assignment folder)
    uv run ../pack.py <学籍番号>       (scripts/ で / in scripts/)

1. 提出するファイル (submission.toml に列挙) がそろっているか、ファイル名の学籍番号が
   正しいか、Python として読めるかを確かめます。足りなければ zip を作らずに止まります。
   Checks that every file to submit (listed in submission.toml) is there, that file names
   carry your student id and that the Python files parse; stops without a zip otherwise.
2. 公開テストを実行します (失敗があっても提出はできます。採点は隠しテストも使います)。
   Runs the public tests (you may submit with failures; grading also uses hidden tests).
3. 考察.md の未回答の問いと、まだ作っていない図を知らせます。
   Lists 考察 questions still unanswered and figures not made yet.
4. <課題>_<学籍番号>.zip を書きます。これを LMS に提出してください。
   Writes <assignment>_<student id>.zip: upload that file.

Options: --lang ja|en|both (messages), --no-tests (skip step 2), --out DIR (where the zip goes).
Needs only the Python standard library (and pytest for step 2). Do not edit.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

# Not resolve(): in the course repository this file is a link, and the kit is where it sits.
KIT = Path(os.path.abspath(__file__)).parent
SUBMISSION = KIT / "submission.toml"
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,31}")
TEMPLATE_IDS = {"student_id", "学籍番号", "studentid", "xxxxxxx"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class Messages:
    """ja/en output: both by default, one with --lang."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.problems = 0

    def text(self, ja: str, en: str) -> str:
        return {"ja": ja, "en": en}.get(self.lang, f"{ja}\n{en}")

    def say(self, ja: str, en: str) -> None:
        print(self.text(ja, en))

    def problem(self, ja: str, en: str) -> None:
        self.problems += 1
        print(self.text(f"✗ {ja}", f"✗ {en}"))

    def note(self, ja: str, en: str) -> None:
        print(self.text(f"! {ja}", f"! {en}"))


def load_submission() -> dict:
    with open(SUBMISSION, "rb") as handle:
        return tomllib.load(handle)


def find_files(spec: dict, student_id: str, out: Messages) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every file present; a problem for each one missing."""
    found = []
    for entry in spec["files"]:
        name = entry["name"].replace("{student_id}", student_id)
        folders = [KIT / folder for folder in entry.get("folders", ["scripts"])]
        path = next((folder / name for folder in folders if (folder / name).is_file()), None)
        if path is not None:
            found.append((path.relative_to(KIT).as_posix(), path))
            continue
        if entry.get("optional"):
            continue
        relative = (folders[0] / name).relative_to(KIT).as_posix()
        out.problem(f"{relative} がありません。", f"{relative} is missing.")
        if "{student_id}" in entry["name"]:
            explain_names(entry["name"], folders[0], student_id, out)
    return found


def explain_names(pattern: str, folder: Path, student_id: str, out: Messages) -> None:
    """Why a file named with the student id was not found: the template's name kept, or
    another id written in it."""
    prefix, suffix = pattern.split("{student_id}")
    name = pattern.replace("{student_id}", student_id)
    for other in sorted(p.name for p in folder.glob(f"{prefix}*{suffix}") if p.is_file()):
        written = other[len(prefix):len(other) - len(suffix)]
        if written.lower() in TEMPLATE_IDS:
            out.say(f"  {other} を {name} に名前を変えてください (学籍番号を入れる)。",
                    f"  Rename {other} to {name} (put your student id in it).")
        else:
            out.say(f"  {other} の学籍番号 {written} が、指定した {student_id} と違います。",
                    f"  {other} carries the id {written}, not {student_id} as you typed.")


def check_python(files: list[tuple[str, Path]], out: Messages) -> None:
    for relative, path in files:
        if path.suffix != ".py":
            continue
        try:
            compile(path.read_bytes(), relative, "exec")
        except SyntaxError as error:
            out.problem(f"{relative} {error.lineno}行目: 構文エラー ({error.msg})。",
                        f"{relative} line {error.lineno}: syntax error ({error.msg}).")
        except ValueError as error:
            out.problem(f"{relative} を読めません ({error})。",
                        f"{relative} cannot be read ({error}).")


def run_tests(lang: str, out: Messages) -> None:
    out.say("公開テストを実行しています…", "Running the public tests...")
    done = subprocess.run([sys.executable, "-P", "-m", "pytest", "-p", "no:cacheprovider",
                           "--lang", lang], cwd=KIT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else done.stderr.strip()[-300:]
    if done.returncode == 0:
        out.say(f"✓ 公開テスト: {summary}", f"✓ Public tests: {summary}")
        return
    for line in lines:
        if line.startswith(("FAILED", "ERROR")):
            print("  " + line)
    out.note(f"公開テストに失敗があります ({summary})。このまま提出もできますが、"
             f"失敗したテストは減点されます。詳しくは uv run pytest で確認してください。",
             f"Some public tests fail ({summary}). You may still submit, but failing tests "
             f"lose points. Run uv run pytest for the details.")


def unanswered(spec: dict) -> list[str]:
    """Question tags of 考察.md whose section is still the template's."""
    questions = spec.get("questions", [])
    path = KIT / spec.get("discussion", "考察.md")
    if not questions or not path.is_file():
        return [q["id"] for q in questions]
    text = path.read_text(encoding="utf-8", errors="replace")
    heading = re.compile(r"^#{1,6}\s*\[([a-z][a-z0-9_]*)\][^\n]*$", re.MULTILINE)
    marks = list(heading.finditer(text))
    answered = set()
    for mark, following in zip(marks, [*marks[1:], None]):
        body = text[mark.end():following.start() if following else len(text)]
        kept = [line for line in body.splitlines() if line.strip()
                and not line.lstrip().startswith(">")
                and line.strip() != spec.get("placeholder", "")]
        if kept:
            answered.add(mark.group(1))
    return [q["id"] for q in questions if q["id"] not in answered]


def report_discussion_and_figures(spec: dict, out: Messages) -> list[tuple[str, Path]]:
    """Notes on 考察.md and the figures; the figures present, to go in the zip."""
    missing = unanswered(spec)
    if missing:
        out.note(f"考察.md の未回答の問い: {', '.join(missing)}",
                 f"Questions of 考察.md not answered yet: {', '.join(missing)}")
    figures = []
    for figure in spec.get("figures", []):
        path = KIT / "outputs" / figure["file"]
        if path.is_file():
            figures.append((f"outputs/{figure['file']}", path))
        else:
            out.note(f"図 outputs/{figure['file']} がまだありません (スクリプトを実行して"
                     f"作ってください)。",
                     f"The figure outputs/{figure['file']} is not there yet (run your script "
                     f"to make it).")
    return figures


def write_zip(target: Path, files: list[tuple[str, Path]]) -> None:
    """Fixed dates and order: packing the same files twice gives the same zip."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pack.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("student_id", help="学籍番号 / your student id")
    parser.add_argument("--lang", choices=["ja", "en", "both"],
                        default=os.environ.get("NN_LANG", "both"))
    parser.add_argument("--no-tests", action="store_true",
                        help="公開テストを実行しない / do not run the public tests")
    parser.add_argument("--out", type=Path, default=KIT,
                        help="zip を書くフォルダ / folder for the zip")
    args = parser.parse_args(argv)
    out = Messages(args.lang)
    student_id = args.student_id.strip()
    if not STUDENT_ID.fullmatch(student_id) or student_id.lower() in TEMPLATE_IDS:
        out.problem(f"学籍番号 {student_id!r} は使えません (英数字、- と _ で 3〜32 文字)。"
                    f"例: uv run pack.py s2601234",
                    f"{student_id!r} is not a student id (3-32 letters, digits, - and _). "
                    f"Example: uv run pack.py s2601234")
        return 2
    spec = load_submission()
    files = find_files(spec, student_id, out)
    check_python(files, out)
    if out.problems:
        out.say("提出用 zip は作っていません。上の問題を直してからもう一度実行してください。",
                "No zip was written: fix the problems above and run this again.")
        return 1
    if not args.no_tests:
        run_tests(args.lang, out)
    files += report_discussion_and_figures(spec, out)
    target = args.out.resolve() / f"{spec['assignment']}_{student_id}.zip"
    write_zip(target, files)
    listing = "\n".join(f"  {name}" for name, _path in sorted(files))
    out.say(f"✓ {target} を作りました。このファイルを LMS に提出してください:\n{listing}",
            f"✓ Wrote {target}. Upload this file to the LMS:\n{listing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
