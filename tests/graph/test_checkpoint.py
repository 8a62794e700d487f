from graph.checkpoint import Checkpoints


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_every_documents_counts_documents_since_the_last_save():
    points = Checkpoints(every_documents=3, clock=Clock())
    assert [points.added() for _ in range(3)] == [False, False, True]
    points.save(lambda: None)
    assert points.unsaved == 0
    assert not points.added()


def test_by_default_waits_a_minute():
    clock = Clock()
    points = Checkpoints(clock=clock)
    clock.now = 59.0
    assert not points.added()
    clock.now = 61.0
    assert points.added()


def test_a_slow_save_spaces_the_next_ones_out():
    clock = Clock()
    points = Checkpoints(clock=clock)
    clock.now = 100.0
    assert points.added()

    def slow_write():
        clock.now = 120.0  # the save takes 20 s: the next may come 200 s later at the earliest

    points.save(slow_write)
    clock.now = 250.0
    assert not points.added()
    clock.now = 321.0
    assert points.added()
