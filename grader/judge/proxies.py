"""Proxies for the student's objects, which live in the worker and never leave it.

``student("perceptron")`` returns a :class:`RemoteObject` for the module; attribute
access and calls become requests to the worker and results come back as plain data.
A student's ``Perceptron`` stays in the worker and is driven by handle; a method call
(:class:`RemoteMethod`) is one round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Protocol

import numpy as np

from grader import i18n
from grader.judge.errors import StudentCrashed, StudentException, StudentTimeout


class StudentSession(Protocol):
    """What a proxy needs of the session it belongs to (``grader.judge.session``)."""

    @property
    def generation(self) -> int: ...

    @property
    def worker(self) -> object | None: ...

    @property
    def poisoned_labels(self) -> set[str]: ...

    @property
    def last_changed(self) -> list: ...

    def request(self, op: str, label: str, **fields: Any) -> Any: ...


def _plain_size(value: Any, depth: int = 0) -> int:
    """Roughly how many bytes a decoded value holds (arrays and strings count)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (str, bytes)):
        return len(value)
    if depth < 4 and isinstance(value, (list, tuple)):
        return 8 + sum(_plain_size(item, depth + 1) for item in value)
    if depth < 4 and isinstance(value, dict):
        return 8 + sum(_plain_size(item, depth + 1) for item in value.values())
    return 8


class RemoteObject:
    """A student object living in the worker."""

    __slots__ = ("_session", "_generation", "_handle", "_type", "_kind", "_methods", "_label")

    def __init__(self, session: StudentSession, generation: int, handle: int, type_name: str,
                 kind: str, methods: frozenset[str], label: str) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_generation", generation)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_methods", methods)
        object.__setattr__(self, "_label", label)

    def _request(self, op: str, label: str, **fields: Any) -> Any:
        if self._generation != self._session.generation or self._session.worker is None:
            if label in self._session.poisoned_labels:
                raise StudentTimeout(i18n.message("student.timeout_earlier", label=label))
            raise StudentCrashed(i18n.message("student.lost_object"))
        value = self._session.request(op, label=label, target=self, **fields)
        if isinstance(value, RemoteObject) and self._kind == "module":
            object.__setattr__(value, "_label", f"{self._label}.{fields.get('name', '')}")
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._methods:
            return RemoteMethod(self, name)
        return self._request("getattr", label=f"{self._label}.{name}", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._request("setattr", label=f"{self._label}.{name} =", name=name, value=value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        value = self._request("call", label=self._label, args=list(args), kwargs=kwargs)
        return value

    def call_reporting_changes(self, *args: Any, **kwargs: Any) -> tuple[Any, list]:
        """Call, and say which array arguments the student's code changed in place."""
        value = self._request("call", label=self._label, args=list(args), kwargs=kwargs,
                              watch_args=True)
        return value, list(self._session.last_changed)

    def swap_attributes(self, values: dict[str, Any]) -> dict[str, Any]:
        """Set several attributes in one round trip; returns the values they had."""
        before = self._request("swap", label=f"{self._label} (replace)", values=dict(values))
        if not isinstance(before, dict):
            raise StudentCrashed(i18n.message("student.protocol", detail="swap"))
        return before

    def __getitem__(self, key: Any) -> Any:
        return self._request("getitem", label=f"{self._label}[]", key=key)

    def __len__(self) -> int:
        value = self._request("len", label=f"len({self._label})")
        if type(value) is not int:
            raise StudentCrashed(i18n.message("student.protocol", detail="len"))
        return value

    #: Reading a student's iterable stops here: a generator that never ends (or an object
    #: whose ``__len__`` says 40 and whose ``__iter__`` never stops, which numpy reads
    #: through) must not fill the judge's memory until the job's time is up.
    MAX_ITEMS: ClassVar[int] = 1_000_000
    MAX_BYTES: ClassVar[int] = 256 * 1024 * 1024

    def __iter__(self) -> Iterator[Any]:
        iterator = self._request("iter", label=f"iter({self._label})")
        if not isinstance(iterator, RemoteObject):
            raise StudentCrashed(i18n.message("student.protocol", detail="iter"))
        items = size = 0
        while True:
            step = iterator._request("next", label=f"next({self._label})")
            if not isinstance(step, dict) or step.get("done"):
                return
            value = step.get("value")
            items += 1
            size += _plain_size(value)
            if items > self.MAX_ITEMS or size > self.MAX_BYTES:
                raise StudentException(i18n.message(
                    "student.iteration_limit", what=self._label, items=self.MAX_ITEMS,
                    megabytes=self.MAX_BYTES // 2**20), "", "IterationLimit")
            yield value

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<student {self._kind} {self._type}>"

    def assign(self, path: list[str | int], value: Any) -> str:
        """Write ``value`` at ``self.<path>`` in place (see the worker's ``assign``)."""
        return self._request("assign", label=f"{self._label} (assign)", path=path,
                             value=value)


class RemoteMethod:
    """``obj.method`` before it is called: the call is one round trip."""

    __slots__ = ("_owner", "_name")

    def __init__(self, owner: RemoteObject, name: str) -> None:
        self._owner = owner
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        owner = self._owner
        return owner._request("call_method", label=f"{owner._type}.{self._name}",
                              name=self._name, args=list(args), kwargs=kwargs)

    def call_reporting_changes(self, *args: Any, **kwargs: Any) -> tuple[Any, list]:
        """Call, and say which array arguments the student's code changed in place."""
        owner = self._owner
        value = owner._request("call_method", label=f"{owner._type}.{self._name}",
                               name=self._name, args=list(args), kwargs=kwargs,
                               watch_args=True)
        return value, list(owner._session.last_changed)

    def __repr__(self) -> str:
        return f"<student method {self._owner._type}.{self._name}>"
