"""in_background gives what computing in place gives, also when the child cannot."""

from __future__ import annotations

import os

import pytest

from queries.background import in_background


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_the_answer_comes_from_a_child_where_the_system_forks():
    value, pid = in_background(_square_and_pid, 7)()
    assert value == 49
    assert pid != os.getpid() if hasattr(os, "fork") else pid == os.getpid()


_calls = []


def _fails_in_a_child(parent: int) -> str:
    _calls.append(os.getpid())
    if os.getpid() != parent:
        raise RuntimeError("barnet dör")
    return "i föräldern"


def test_a_failing_child_leaves_the_work_to_the_parent():
    assert in_background(_fails_in_a_child, os.getpid())() == "i föräldern"


def test_without_fork_the_parent_computes_when_asked(monkeypatch):
    monkeypatch.delattr(os, "fork", raising=False)
    value, pid = in_background(_square_and_pid, 3)()
    assert (value, pid) == (9, os.getpid())


def test_a_fork_refused_leaves_the_work_to_the_parent(monkeypatch):
    def refuse():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    assert in_background(_square_and_pid, 4)() == (16, os.getpid())
