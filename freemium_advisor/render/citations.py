"""Citations a reader can follow: a rule's source as a link to the talk at its timestamp.

The rules cite the framework's two write-ups (the seeds) by file name and timestamp. Both
write-ups describe the same recorded talk; each one's front matter carries its title and the
video id, copied here as data:

    000_d5fe08b4bac5d94d.txt   title: B2B growth strategies            videoId: UTmFuSZfJ9U
    001_40b40909513d44e9.txt   title: B2B growth and consumerization   videoId: UTmFuSZfJ9U

A quote in a rule comes from a write-up, not from a transcript: reports mark it as a
paraphrase of the talk, never as Elena Verna's own words.
"""

from __future__ import annotations

from freemium_advisor.base.record import record
from freemium_advisor.model.rules import Source


@record
class Episode:
    """A write-up of the talk (a seed) and the video it describes."""

    seed: str
    title: str
    video_id: str


EPISODES: dict[str, Episode] = {
    e.seed: e
    for e in (
        Episode("000_d5fe08b4bac5d94d.txt", "B2B growth strategies", "UTmFuSZfJ9U"),
        Episode("001_40b40909513d44e9.txt", "B2B growth and consumerization", "UTmFuSZfJ9U"),
    )
}
# Both write-ups are of one talk, so a source with a timestamp but no seed (the checks cite
# the talk without a write-up) still points into the same video.
TALK_VIDEO_ID = "UTmFuSZfJ9U"
TALK_TITLE = "Elena Verna on B2B growth (Lenny's Podcast)"


@record
class Citation:
    """A source made ready to print: principle, link, and the paraphrase it rests on."""

    principle: str
    timestamp: str | None
    url: str | None
    episode: str
    quote: str | None

    @property
    def label(self) -> str:
        """``Aha moment / proof of concept (00:50:51)``."""
        return f"{self.principle} ({self.timestamp})" if self.timestamp else self.principle


def seconds(timestamp: str) -> int:
    """``"00:47:45"`` -> ``2865``."""
    hours, minutes, secs = (int(part) for part in timestamp.split(":"))
    return hours * 3600 + minutes * 60 + secs


def video_url(video_id: str, timestamp: str | None) -> str:
    """The talk on YouTube, starting at ``timestamp`` when there is one."""
    url = f"https://www.youtube.com/watch?v={video_id}"
    return f"{url}&t={seconds(timestamp)}s" if timestamp else url


def cite(source: Source | None) -> Citation | None:
    """A rule's or check's source as a citation; ``None`` when there is no source.

    A user's rule pack may cite a seed this table does not know: it keeps its principle and
    paraphrase, without a link, rather than pointing at the wrong video.
    """
    if source is None:
        return None
    if source.seed is None:
        video, episode = TALK_VIDEO_ID, TALK_TITLE
    elif source.seed in EPISODES:
        video, episode = EPISODES[source.seed].video_id, EPISODES[source.seed].title
    else:
        video, episode = None, source.seed
    url = video_url(video, source.timestamp) if video and source.timestamp else None
    return Citation(source.principle, source.timestamp, url, episode, source.quote)
