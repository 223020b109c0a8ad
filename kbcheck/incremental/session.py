"""The incremental layer as one run uses it: what the engine asks of the cache folder, in the
order it asks. A run without the cache (`--no-cache`) has no session and computes everything;
the report is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kbcheck.corpus import Corpus, Discovery
from kbcheck.incremental import replay
from kbcheck.incremental.findings import FindingsStore
from kbcheck.incremental.folder import CacheFolder
from kbcheck.incremental.keys import RunKeys, config_digest, data_digest
from kbcheck.incremental.parse_cache import ParseStats, file_digests
from kbcheck.model import Finding
from kbcheck.report import Report


@dataclass(frozen=True)
class ReplayInputs:
    """What a whole report depends on besides the articles and git (see `replay.RunInputs`)."""

    rules: Sequence[Any]
    registry_notices: Sequence[str]
    config: Any
    options: Mapping[str, Any]
    today: date
    paths: Sequence[Path]
    extra_files: Sequence[Path]  # ownership, baseline and traffic files, present or not


@dataclass
class Session:
    """One run's cache: the file-status index and content digests, the replay of the last
    report, the findings store, and keeping this run's report for the next one."""

    folder: CacheFolder
    root: Path
    stats: ParseStats
    #: The state git was in before the history was read (see `history.state`): if it
    #: changes during the run, the next run sees a different state and runs in full.
    git_state: Callable[[], str | None]
    digests: dict[str, str] = field(default_factory=dict)
    _replay_key: str | None = None
    #: Whether the last report read git (only that is kept of it: the stored report itself
    #: is as large as a report, and a run that goes on in full has no use for it).
    _read_git: bool = False

    def hash_articles(self, discovery: Discovery, max_size: int) -> dict[str, str]:
        """Each readable article's (and pasted-in fragment's) content digest, reading only
        files whose status changed."""
        self.digests = file_digests(
            self.root,
            (*discovery.articles, *discovery.fragments),
            max_size,
            self.folder,
            self.stats,
        )
        return self.digests

    def replay(self, discovery: Discovery, inputs: ReplayInputs | None) -> replay.Replay | None:
        """The last run's report when nothing it depends on changed; `inputs` None means this
        run must not be replayed (nor its report kept)."""
        if inputs is None:
            return None
        self._replay_key = replay.RunInputs(
            inputs.rules,
            inputs.registry_notices,
            inputs.config,
            inputs.options,
            inputs.today,
            inputs.paths,
            self.root,
            discovery,
            self.digests,
            inputs.extra_files,
        ).key()
        stored = replay.read(self.folder)
        self._read_git = stored is not None and stored.history is not None
        if stored is None or self._replay_key is None or stored.key != self._replay_key:
            return None
        # Decoded while git answers (git status takes about as long on a large knowledge
        # base); thrown away in the rare case that git's state changed.
        replayed = stored.replay()
        if stored.history is not None and self.git_state() != stored.history:
            return None
        self.stats.replayed = replayed is not None
        return replayed

    def wants_history(self) -> bool:
        """Whether the last report read git, so this run will probably read it too."""
        return self._read_git

    def findings_store(
        self,
        corpus: Corpus,
        config: Any,
        today: date,
        parse_settings: Any,
        owner_files: Sequence[Path],
    ) -> FindingsStore | None:
        """Where rules' findings are kept between runs; None when a file changed while it was
        being parsed (then nothing of this run is kept)."""
        if self.stats.raced:
            return None
        keys = RunKeys(
            corpus,
            parse=data_digest(parse_settings),
            config=config_digest(config, owner_files),
            today=today,
            contents=self.digests,
        )
        return FindingsStore(self.folder, keys, self.stats)

    def keep(self, report: Report, unbaselined: Sequence[Finding], read_git: bool) -> None:
        """Keep the report for the next run to replay."""
        if self._replay_key is None or self.stats.raced:
            return
        history = self.git_state() if read_git else None
        replay.store(self.folder, self._replay_key, history, report, unbaselined)
