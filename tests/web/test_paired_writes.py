"""A response's head leaves with its body in one write (web/connection.py, PairedWrites).

Why it matters: a replica killed between two writes leaves nginx holding a head without a body,
too late to retry on another replica (issue 16's failover run saw it once in 18,163 requests).
The transport below records each write the socket transport would have been asked for.
"""

from __future__ import annotations

import asyncio
from typing import cast

import pytest
from vawmw.web.connection import PAIRED_BYTES, PairedWrites

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return sum(map(len, self.writes))

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


def _paired(loop: asyncio.AbstractEventLoop) -> tuple[PairedWrites, Recorder]:
    recorder = Recorder()
    return PairedWrites(cast(asyncio.Transport, recorder), loop), recorder


def test_head_and_body_written_in_one_turn_leave_in_one_write() -> None:
    async def answer() -> list[bytes]:
        paired, recorder = _paired(asyncio.get_running_loop())
        paired.write(HEAD)
        paired.write(b"ok")
        await asyncio.sleep(0)
        return recorder.writes

    assert asyncio.run(answer()) == [HEAD + b"ok"]


def test_a_lone_write_leaves_at_the_end_of_the_turn() -> None:
    async def answer() -> tuple[list[bytes], list[bytes], int]:
        paired, recorder = _paired(asyncio.get_running_loop())
        paired.write(HEAD)
        before = list(recorder.writes)
        held = paired.get_write_buffer_size()  # the budget still counts the held bytes
        await asyncio.sleep(0)
        return before, recorder.writes, held

    before, after, held = asyncio.run(answer())
    assert before == [] and after == [HEAD] and held == len(HEAD)


def test_at_most_one_chunk_is_held() -> None:
    async def answer() -> list[bytes]:
        paired, recorder = _paired(asyncio.get_running_loop())
        for chunk in (b"a", b"b", b"c", b"d", b"e"):
            paired.write(chunk)
        await asyncio.sleep(0)
        return recorder.writes

    assert asyncio.run(answer()) == [b"ab", b"cd", b"e"]


@pytest.mark.parametrize(("ending", "expected"), [("close", [HEAD]), ("abort", [])])
def test_close_sends_what_is_held_and_abort_drops_it(ending: str, expected: list[bytes]) -> None:
    async def answer() -> Recorder:
        paired, recorder = _paired(asyncio.get_running_loop())
        paired.write(HEAD)
        getattr(paired, ending)()
        await asyncio.sleep(0)  # a flush scheduled before the end must not write again
        return recorder

    recorder = asyncio.run(answer())
    assert recorder.writes == expected
    assert recorder.closed is (ending == "close") and recorder.aborted is (ending == "abort")


def test_everything_else_is_the_socket_transports() -> None:
    async def answer() -> object:
        paired, _ = _paired(asyncio.get_running_loop())
        return paired.get_extra_info("peername")

    assert asyncio.run(answer()) == "info:peername"


def test_a_big_body_follows_its_head_without_a_copy() -> None:
    big = b"x" * (PAIRED_BYTES + 1)

    async def answer() -> list[bytes]:
        paired, recorder = _paired(asyncio.get_running_loop())
        paired.write(HEAD)
        paired.write(big)
        return recorder.writes

    writes = asyncio.run(answer())
    assert writes == [HEAD, big] and writes[1] is big
