"""Run N transitions in this process and print the RSS growth after a warm-up (MB), then RSS values."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from bench import data


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 1_048_576


def main(folder: Path, transitions: int) -> None:
    data.quiet()
    engine = data.open_engine(folder, data.sqlite_url(folder / "memory.db"))
    ids = [
        engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=f"elev-{i}", document=data.REPORT, actor=data.TEACHER
        ).id
        for i in range(100)
    ]
    warmup = max(transitions // 20, 1_000)
    note = {"text": "Samtale med eleven."}
    for i in range(warmup):
        engine.fire(ids[i % 100], "add_note", note, data.TEACHER)
    gc.collect()
    start = rss_mb()
    for i in range(transitions):
        engine.fire(ids[i % 100], "add_note", note, data.TEACHER)
    gc.collect()
    end = rss_mb()
    print(f"{end - start:.3f} {start:.1f} {end:.1f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
