"""The trained Swedish language layer: part of speech, morphology, lemma and named entity per word.

One small module over efselab's Swedish models (PyPI `pefselab`, GPL-3.0): the SUC
part-of-speech and morphology tagger, the SUC named-entity tagger and the SALDO-based
lemmatiser. Nothing else in samverkan imports pefselab, so the models could be swapped
without touching the rules that read the tags.

Why this shape:
- efselab's own tokenizer keeps no character offsets, so callers hand in the words of their
  own tokens (spaCy's, with offsets) and get one `Tag` per word back, aligned.
- The models are built once per machine (C code generated from the trained weights,
  compiled with the system's C compiler, about a minute) into pefselab's data directory
  (`$XDG_DATA_HOME/pefselab/models`) and loaded once per process (about 1 GB, 3 s). A
  parent process that loads them before forking its workers shares the pages with them.
- Set SAMVERKAN_LANGUAGE=off to run extraction without the layer (for comparisons); if
  the models cannot be built the layer is off and one line says why.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import marshal
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

#: The trained weights and tables the taggers read, in the model directory.
WEIGHT_FILES = ("suc.bin", "suc-ne.bin", "suc-saldo.lemmas")
#: The compiled taggers (Python extension modules) built from the weights' C code.
MODULES = ("suc", "suc_ne")
#: The lemmatiser's table in a form that loads in a second: a marshal of its dictionary,
#: made by `samverkan setup` beside the models (see lemma_cache).
LEMMA_CACHE = "suc-saldo.lemmas.marshal"
#: efselab keeps a sentence on the C stack: longer runs of words are tagged in windows.
WINDOW = 250
#: Runs of words whose tags are remembered per process (a few MB).
SEEN_WINDOWS = 20_000
#: efselab refuses a word of 4096 bytes or more; longer "words" are cut (they are no names).
MAX_WORD_BYTES = 1000


class Tag(NamedTuple):
    """What the models say of one word.

    pos: SUC part of speech (NN noun, PM proper noun, VB verb, JJ adjective, PP preposition,
    KN/SN conjunction, AB adverb, PN pronoun, RG number, MAD/MID/PAD punctuation, ...).
    feats: SUC morphology, e.g. "UTR|SIN|DEF|NOM" for a noun, "PRS|AKT" for a verb.
    lemma: the base form ("samverkanspart" for "samverkansparterna").
    ne: "" outside a name, else "B-<type>" or "I-<type>" with type person, place, inst,
    work, event, myth, animal, product or other.
    """

    pos: str
    feats: str
    lemma: str
    ne: str

    @property
    def ne_type(self) -> str:
        return self.ne[2:] if self.ne else ""

    def has(self, feature: str) -> bool:
        return feature in self.feats.split("|")


class LanguageUnavailable(Exception):
    """The models are not built and cannot be built here."""


def enabled() -> bool:
    return os.environ.get("SAMVERKAN_LANGUAGE", "on").lower() not in ("off", "0", "no", "false")


def model_dir() -> Path:
    from pefselab.tools import get_data_dir  # only the path helper: its tagger module loads models on import

    return get_data_dir() / "models"


def models_built(directory: Optional[Path] = None) -> bool:
    directory = directory or model_dir()
    if not all((directory / name).is_file() for name in WEIGHT_FILES):
        return False
    built = {p.name.split(".")[0] for p in directory.glob("*.so")}
    return all(m in built for m in MODULES)


def models_ready(directory: Optional[Path] = None) -> bool:
    """The models are built and the lemmatiser's fast table is made: nothing left for setup."""
    directory = directory or model_dir()
    return models_built(directory) and _cached_lexicon_header(directory) == _cache_header(directory)


def build_models(progress=None) -> Path:
    """Unpack the trained models from the pefselab package and compile the taggers, once;
    then make the lemmatiser's fast table (lemma_cache) if it is missing or stale.

    A lock file keeps two processes (two ingests, two test workers) from building at once;
    the second waits and then finds the models built.
    """
    import fcntl

    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".samverkan-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not models_built(directory):
            _build(directory, progress)
        if _cached_lexicon_header(directory) != _cache_header(directory) and write_lemma_cache(directory):
            (progress or (lambda message: print(message, file=sys.stderr, flush=True)))(
                "Lemmatiserarens tabell är sparad i snabbt format (" + LEMMA_CACHE + ").")
    return directory


def _build(directory: Path, progress=None) -> None:
    say = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    say("Bygger de svenska språkmodellerna (en gång per dator, ungefär en minut) i " + str(directory) + " …")
    try:
        _compile(directory)
    except Exception as exc:  # a compiler missing, a disk full: name it, do not hide it
        raise LanguageUnavailable(f"kunde inte bygga språkmodellerna: {exc.__class__.__name__}: {exc}") from exc
    if not models_built(directory):
        raise LanguageUnavailable("språkmodellerna byggdes inte (saknas en C-kompilator?)")
    say("Språkmodellerna är byggda.")


def _compile(directory: Path) -> None:
    from pefselab import build_suc, build_suc_ne
    from pefselab.train_swe_pipeline import preprocessing_for_pipeline

    # setuptools writes its build tree into the working directory, and the build prints
    # compiler output: keep both out of the user's folder and terminal.
    with tempfile.TemporaryDirectory() as scratch, _cwd(scratch), _quiet():
        preprocessing_for_pipeline()
        build_suc.build(skip_generate=True, n_train_fields=2)
        build_suc_ne.build(skip_generate=True)


@contextlib.contextmanager
def _cwd(path: str):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@contextlib.contextmanager
def _quiet():
    """Silence the compiler at the file-descriptor level (it is a child process)."""
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as null:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(null.fileno(), 1)
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


class Tagger:
    """The three models, loaded once: words in, one Tag per word out."""

    def __init__(self, directory: Path):
        if str(directory) not in sys.path:
            sys.path.append(str(directory))
        self._pos = importlib.import_module("suc")
        self._ne = importlib.import_module("suc_ne")
        # The C taggers take the weights as one bytes object (an mmap is refused).
        self._pos_weights = _weights(directory / "suc.bin")
        self._ne_weights = _weights(directory / "suc-ne.bin")
        self._lemmatizer = load_lemmatizer(directory)
        self._seen: dict[tuple[str, ...], tuple[Tag, ...]] = {}

    def tag(self, words: Sequence[str], names: bool = True) -> list[Tag]:
        """One Tag per word. names=False skips the name tagger (a quarter of the cost): the
        relation reader needs parts of speech and lemmas only, and its Tags have ne ''."""
        out: list[Tag] = []
        for begin in range(0, len(words), WINDOW):
            out += self._tag_window(tuple(_safe(w) for w in words[begin : begin + WINDOW]), names)
        return out

    def _tag_window(self, words: tuple[str, ...], names: bool = True) -> tuple[Tag, ...]:
        """The tags of one run of words; the same run (a letterhead, a signature, a standard
        paragraph in a batch of one organisation's documents) is tagged once per process."""
        if not words:
            return ()
        key = words if names else ("\0",) + words  # tags without names are remembered apart
        cached = self._seen.get(key)
        if cached is None:
            cached = self._seen[key] = self._run_taggers(list(words), names)
            while len(self._seen) > SEEN_WINDOWS:
                self._seen.pop(next(iter(self._seen)))  # the oldest first: a bounded memo
        return cached

    def _run_taggers(self, words: list[str], with_names: bool = True) -> tuple[Tag, ...]:
        tags = self._pos.tag(self._pos_weights, words)
        predict = self._lemmatizer.predict
        lemmas = [predict(w, t) for w, t in zip(words, tags)]
        names = self._ne.tag(self._ne_weights, list(zip(words, lemmas, tags))) if with_names else ["O"] * len(words)
        out = []
        for tag, lemma, ne in zip(tags, lemmas, names):
            pos, _, feats = tag.partition("|")
            out.append(Tag(pos, feats, lemma, "" if ne == "O" else ne))
        return tuple(out)


# -- the lemmatiser's table -----------------------------------------------------------------
#
# The SALDO lemmatiser is a dictionary of 1.1 million (form, tag) -> lemma entries, which
# pefselab reads from a 49 MB text file: 2.5 s, a tenth of a small ingest, before any worker
# can start. The same dictionary as a marshal loads in under a second. The cache names the
# text file it was made from (size and time) and the Python that wrote it (marshal's format
# may change between versions); when either differs, or the file is missing or broken, the
# text file is read as before.

_LEMMA_TEXT = "suc-saldo.lemmas"


def load_lemmatizer(directory: Path):
    """pefselab's SUCLemmatizer with its table, from the cache where it is good, else from
    the text file (then the cache is written for the next time, where the folder allows)."""
    from pefselab.lemmatize import SUCLemmatizer

    lemmatizer = SUCLemmatizer()
    with _collector_paused():
        lexicon = _cached_lexicon(directory)
        if lexicon is not None:
            lemmatizer.__setstate__((lexicon,))  # Cython's pickle support: the table is its one field
            return lemmatizer
        lemmatizer.load(str(directory / _LEMMA_TEXT))
    with contextlib.suppress(OSError):
        _write_lexicon(directory, _lexicon_of(lemmatizer))
    return lemmatizer


def write_lemma_cache(directory: Path) -> bool:
    """Make the lemmatiser's fast table from its text file; False where it cannot be written."""
    from pefselab.lemmatize import SUCLemmatizer

    lemmatizer = SUCLemmatizer()
    with _collector_paused():
        lemmatizer.load(str(directory / _LEMMA_TEXT))
    try:
        return _write_lexicon(directory, _lexicon_of(lemmatizer))
    except OSError:
        return False


def _lexicon_of(lemmatizer) -> Optional[dict]:
    """The lemmatiser's table (by its pickle support), None if this pefselab has none."""
    try:
        state = lemmatizer.__reduce__()[2]
    except (AttributeError, IndexError, TypeError):
        return None
    return state[0] if isinstance(state, tuple) and state and isinstance(state[0], dict) else None


def _cache_header(directory: Path) -> tuple:
    """What a good cache says of itself: the text file's size and time, marshal's and Python's version."""
    try:
        stat = (directory / _LEMMA_TEXT).stat()
    except OSError:
        return ()
    return ("samverkan-lemmas", 1, stat.st_size, stat.st_mtime_ns, marshal.version, tuple(sys.version_info[:2]))


def _cached_lexicon_header(directory: Path) -> Optional[tuple]:
    try:
        with open(directory / LEMMA_CACHE, "rb") as cache:
            return marshal.load(cache)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _cached_lexicon(directory: Path) -> Optional[dict]:
    """The table from the cache, None when the cache is missing, stale or broken."""
    try:
        with open(directory / LEMMA_CACHE, "rb") as cache:
            if marshal.load(cache) != _cache_header(directory):
                return None
            lexicon = marshal.loads(cache.read())  # marshal.load from a file reads each string by a call
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return lexicon if isinstance(lexicon, dict) else None


def _write_lexicon(directory: Path, lexicon: Optional[dict]) -> bool:
    """Write the cache beside the text file, whole or not at all (a temporary file renamed)."""
    header = _cache_header(directory)
    if lexicon is None or not header:
        return False
    handle, temporary = tempfile.mkstemp(prefix=LEMMA_CACHE + ".", dir=directory)
    try:
        with os.fdopen(handle, "wb") as cache:
            marshal.dump(header, cache)
            marshal.dump(lexicon, cache)
        os.chmod(temporary, 0o644)  # readable like the models beside it (mkstemp makes it private)
        os.replace(temporary, directory / LEMMA_CACHE)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True


@contextlib.contextmanager
def _collector_paused():
    """No cyclic collection while a table of a million tuples is built: none of them can
    form a cycle, and the collector's rounds over them cost a third of the load."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: Linux's madvise() advice for transparent huge pages, and their size on x86-64 and arm64.
_MADV_HUGEPAGE = 14
_HUGE_PAGE = 2 * 1024 * 1024


def _weights(path: Path) -> bytes:
    """A weight file as the bytes object the taggers want, on huge pages where Linux allows.

    The taggers look up hashed features at random in 400 MB of weights. On 4 KB pages nearly
    every lookup misses the TLB as well as the cache: between two sentences the rest of
    extraction evicts everything, and in the pipeline the tagger ran at a third of its speed
    on the same words tagged in a row. So the bytes object is made empty, its buffer advised
    to use 2 MB pages before the first page is touched, and then filled from the file. Where
    the advice is refused (another OS, THP off), it is plain memory, read the same way.
    """
    import ctypes

    size = path.stat().st_size
    make = ctypes.pythonapi.PyBytes_FromStringAndSize
    make.restype, make.argtypes = ctypes.py_object, [ctypes.c_void_p, ctypes.c_ssize_t]
    data: bytes = make(None, size)  # a new bytes object, its buffer not yet written
    address = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0
    if sys.platform.startswith("linux"):
        start = (address + _HUGE_PAGE - 1) & ~(_HUGE_PAGE - 1)
        length = (address + size - start) & ~(_HUGE_PAGE - 1)
        if length > 0:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(length), _MADV_HUGEPAGE)
    view = (ctypes.c_char * size).from_address(address)
    with path.open("rb") as fh:
        read = fh.readinto(view)
    if read != size:
        raise OSError(f"{path}: läste {read} av {size} byte")
    return data


def _safe(word: str) -> str:
    """A word the C tagger accepts: no empty string, none over its byte limit."""
    if not word:
        return "_"
    if len(word) * 4 >= MAX_WORD_BYTES:
        encoded = word.encode("utf-8")[:MAX_WORD_BYTES]
        word = encoded.decode("utf-8", "ignore") or "_"
    return word


@lru_cache(maxsize=1)
def tagger() -> Optional[Tagger]:
    """The process's tagger, built and loaded on first use; None when the layer is off.

    A model that cannot be had is said once, on stderr, and extraction goes on without it.
    """
    if not enabled():
        return None
    try:
        directory = model_dir()
        if not models_built(directory):
            directory = build_models()
        return Tagger(directory)
    except (LanguageUnavailable, ImportError, OSError) as exc:
        print(f"Varning: utan svensk språkmodell ({exc}); igenkänningen blir sämre.", file=sys.stderr)
        return None


def preload() -> None:
    """Load the models now, in this process (before forking workers, so they share them)."""
    tagger()
