"""A computation run in a child process while this one goes on with other work.

An export's betweenness takes a second or two of igraph's C core, which holds the
interpreter's lock (threads would not run beside it); reading and writing every quote
takes as long again. Where the system can fork (Linux, macOS), the child computes and
sends the pickled answer through a pipe while the parent reads; elsewhere, or if the
child fails, the parent computes it itself when asked. The answer is the same either way.
"""

from __future__ import annotations

import os
import pickle
from typing import Any, Callable


def in_background(compute: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Start compute(*args); returns a function that gives its result (waiting for it)."""
    if not hasattr(os, "fork"):
        return lambda: compute(*args)
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or process left for a child: compute here
        os.close(read)
        os.close(write)
        return lambda: compute(*args)
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(read)
            data = pickle.dumps(compute(*args), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)

    def result() -> Any:
        with os.fdopen(read, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return compute(*args)
        return pickle.loads(data)

    return result
