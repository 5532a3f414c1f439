"""What a job keeps of the student's output: up to the job's limit, saying what it dropped."""

from __future__ import annotations


class OutputKeeper:
    """The student's printed output for one job, capped at ``limit_chars``."""

    def __init__(self, limit_chars: int) -> None:
        self.limit = limit_chars
        self.parts: list[str] = []
        self.kept = 0
        self.last = ""
        """What the most recent request printed (``student.run_script`` returns it)."""

    def keep(self, text: str) -> None:
        """Keep ``text`` up to the job's limit, noting how much was dropped."""
        if not text:
            return
        room = self.limit - self.kept
        if room <= 0:
            return
        if len(text) > room:
            text = text[:room] + f"\n[... {len(text) - room} more characters not kept]\n"
        self.parts.append(text)
        self.kept += min(len(text), room)

    def keep_reply(self, text: object) -> None:
        """The output a reply carried (anything but a string counts as nothing)."""
        self.last = text if isinstance(text, str) else ""
        self.keep(self.last)

    def take(self) -> str:
        """Everything kept since the last call (the plugin attributes it to a test)."""
        text = "".join(self.parts)
        self.parts.clear()
        return text
