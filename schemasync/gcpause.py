"""`paused_gc()`: run a block with Python's cyclic garbage collector paused.

Parsing and importing a schema build hundreds of thousands of small acyclic objects (syntax tree,
models) that stay alive to the end; the cyclic GC would rescan them again and again while
nothing there creates a cycle (measured: half the CPU time of a 1,000-model import). Reference
counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(*, freeze: bool = False, promote: bool = False) -> Iterator[None]:
    """Pause the cyclic GC for the block; restore its previous state afterwards (nests).

    Args:
        promote: before re-enabling, move every object alive to the oldest generation without
            scanning it (`gc.freeze()` then `gc.unfreeze()`: two list splices): for a block that
            returns a large, acyclic, long-lived result (an imported schema), which the
            young-generation collections would otherwise walk object by object only to find
            nothing to free (a 1,000-model schema is ~200,000 objects). Nothing is kept frozen;
            the next full collection sees them as it sees any old object. Skipped when something
            is frozen already (it is not ours to unfreeze).
        freeze: before re-enabling, move every object alive to the permanent generation
            (`gc.freeze`): for a whole CLI run, whose survivors are module state and results
            that live to the exit, so that neither the next collection nor the one at
            interpreter exit walks them again. Not for library calls: it freezes the caller's
            objects too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze:
                gc.freeze()
            elif promote and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
