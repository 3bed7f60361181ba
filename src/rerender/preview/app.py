"""The preview loop: what each key and drag does to the view (`react`, a pure function), and the loop that
renders the current frame with the same `Renderer` as `render` whenever the view changes, plays at the
settings' fps, and for a live server re-reads the newest recording as it grows."""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..camera.framing import CameraPose
from ..errors import RerenderError
from ..pipeline.layers import SettingsSources
from ..render import Renderer
from ..values import TimeValue
from .navigation import keyframe_block, orbit, pan, zoom
from .playback import Playhead
from .source import FileState, Frame, PlannedRecording, newest_recording, plan_growing
from .window import Drag, InputEvent, KeyPress, PreviewWindow, Scroll

LIVE_POLL_SECONDS = 0.25  # how often a live server's folder is looked at for new data
IDLE_WAIT_SECONDS = 1.0
WAITING_SIZE = (640, 360)  # the window before any live data arrives
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class ViewState:
    """What the user chose: the playhead, and their own camera once the mouse moved it (None: the
    configured camera, moving as it does in the video)."""

    playhead: Playhead
    camera: CameraPose | None = None


@dataclass(frozen=True)
class Reaction:
    """A view after an input, and what else to do: "print_camera", "save_still", "quit" or None."""

    state: ViewState
    command: str | None = None


def react(state: ViewState, event: InputEvent, pose: CameraPose, height: int) -> Reaction:
    """The view after one input. `pose` is the camera now shown; `height` the frame's height in pixels
    (a pan moves the scene with the cursor at the look-at point's depth)."""
    playhead = state.playhead
    if isinstance(event, Drag):
        if event.button == "left":
            moved = orbit(pose, event.dx, event.dy)
        else:
            moved = pan(pose, event.dx, event.dy, height)
        return Reaction(dataclasses.replace(state, camera=moved))
    if isinstance(event, Scroll):
        return Reaction(dataclasses.replace(state, camera=zoom(pose, event.steps)))
    key = event.key
    moves: dict[str, Callable[[], Playhead]] = {
        "space": playhead.toggled,
        "left": lambda: playhead.stepped(-1),
        "right": lambda: playhead.stepped(1),
        "home": playhead.home,
        "end": playhead.end,
    }
    if key in moves:
        return Reaction(dataclasses.replace(state, playhead=moves[key]()))
    if key == "r":
        return Reaction(dataclasses.replace(state, camera=None))
    commands = {"c": "print_camera", "s": "save_still", "q": "quit", "escape": "quit"}
    return Reaction(state, commands.get(key))


@dataclass(frozen=True)
class PreviewOptions:
    """How a preview starts and, for tests and scripts, ends: `at` starts on the frame at or after that
    time; `exit_after_frames` closes the window after that many redraws, writing the last one to
    `screenshot` (as the window showed it); `s` writes stills into `stills_dir`."""

    sources: SettingsSources = field(default_factory=SettingsSources)
    at: TimeValue | None = None
    play: bool = False
    screenshot: Path | None = None
    exit_after_frames: int | None = None
    stills_dir: Path = Path(".")


class _Loop:
    """One window's session: the recording shown (None while a live server waits), the view, the renderer."""

    def __init__(self, options: PreviewOptions, title: str) -> None:
        self.options = options
        self.title = title
        self.planned: PlannedRecording | None = None
        self.state = ViewState(Playhead(0, 1, playing=options.play))
        self.renderer: Renderer | None = None
        self.renderer_key: tuple | None = None
        self.window: PreviewWindow | None = None
        self.window_size: tuple[int, int] | None = None  # the render size the window was last fitted to
        self.frame: Frame | None = None
        self.image: np.ndarray | None = None
        self.shown = 0
        self.dirty = True
        self.next_due = math.inf

    # --- the recording --------------------------------------------------------------------------------

    def use(self, planned: PlannedRecording, follow: bool) -> None:
        """Show `planned` (a newly opened or re-read recording); `follow` keeps to its latest frame."""
        first = self.planned is None
        self.planned = planned
        playhead = self.state.playhead.resized(planned.frame_count, follow)
        if first and self.options.at is not None and planned.plan.timeline is not None:
            kind = planned.recording.timelines[planned.plan.timeline].kind
            value = self.options.at.resolve(kind, planned.plan.shot.timeline_ticks)
            playhead = dataclasses.replace(playhead, index=planned.index_at(value))
        elif first and not follow:
            playhead = dataclasses.replace(playhead, index=0)
        self.state = dataclasses.replace(self.state, playhead=playhead)
        self._clock(restart=True)
        self.dirty = True

    def _renderer(self) -> Renderer:
        assert self.planned is not None
        size, look = self.planned.plan.size, self.planned.settings.look.to_look()
        if self.renderer is None or self.renderer_key != (size, look):
            if self.renderer is not None:
                self.renderer.close()
            self.renderer, self.renderer_key = Renderer(size.width, size.height, look), (size, look)
        return self.renderer

    # --- the loop -------------------------------------------------------------------------------------

    def _clock(self, restart: bool = False) -> None:
        if not self.state.playhead.playing:
            self.next_due = math.inf
        elif restart or self.next_due == math.inf:
            self.next_due = time.monotonic() + 1.0 / self._fps()

    def _fps(self) -> float:
        return self.planned.fps if self.planned is not None else 30.0

    def _pose(self) -> CameraPose | None:
        if self.state.camera is not None:
            return self.state.camera
        return self.frame.pose if self.frame is not None else None

    def draw(self) -> None:
        """Render the current frame (when something changed) and show it."""
        window = self._window()
        background = (0.1, 0.1, 0.1)
        if self.planned is not None:
            background = self.planned.settings.look.to_look().background
            if self.dirty:
                self.frame = self.planned.frame(self.state.playhead.index)
                pose = self.state.camera or self.frame.pose
                self.image = self._renderer().render(self.frame.scene, pose)
                window.set_title(self._caption())
        elif self.image is None:
            self.image = np.full((*WAITING_SIZE[::-1], 3), 26, dtype=np.uint8)
            window.set_title(f"{self.title}: waiting for data")
        self.dirty = False
        capture = self.options.screenshot is not None
        shown = window.show(self.image, background, capture=capture)
        self.shown += 1
        if capture and shown is not None:
            import imageio.v3 as iio

            # Written aside and renamed, so that a reader never sees half a PNG.
            partial = self.options.screenshot.with_name(self.options.screenshot.name + ".partial.png")
            iio.imwrite(partial, shown)
            os.replace(partial, self.options.screenshot)

    def _window(self) -> PreviewWindow:
        size = self.planned.plan.size if self.planned is not None else None
        wanted = (size.width, size.height) if size is not None else WAITING_SIZE
        if self.window is None:
            self.window = PreviewWindow(*wanted, self.title)
        elif wanted != self.window_size:  # the render size changed (live data arrived): fit the window
            self.window.resize(*wanted)
        self.window_size = wanted
        return self.window

    def _caption(self) -> str:
        assert self.frame is not None
        playhead = self.state.playhead
        status = "playing" if playhead.playing else "paused"
        own = ", own camera (r: back to the configured one)" if self.state.camera is not None else ""
        return (
            f"{self.title}: {self.frame.label}, frame {playhead.index + 1}/{playhead.count} ({status}{own})"
        )

    def step(self, poll: Callable[[], None] | None = None) -> bool:
        """One turn of the loop: wait for input or the next frame, react, redraw. False: time to stop."""
        window = self._window()
        now = time.monotonic()
        wait = self.next_due - now if self.state.playhead.playing else IDLE_WAIT_SECONDS
        if poll is not None:
            wait = min(wait, LIVE_POLL_SECONDS)
        if self.options.exit_after_frames is not None:
            wait = 0.01
        for event in window.wait(wait):
            if not self._react(event):
                return False
        if poll is not None:
            poll()
        self._play()
        self.draw()
        if self.options.exit_after_frames is not None and self.shown >= self.options.exit_after_frames:
            return False
        return not window.should_close

    def _react(self, event: InputEvent) -> bool:
        pose = self._pose()
        if pose is None:  # nothing shown yet: only keys that need no picture
            return not (isinstance(event, KeyPress) and event.key in ("q", "escape"))
        height = self.image.shape[0] if self.image is not None else WAITING_SIZE[1]
        before = self.state
        reaction = react(self.state, event, pose, height)
        self.state = reaction.state
        # Poses hold arrays, so views are compared by part: a new camera is always a new object.
        if self.state.playhead != before.playhead or self.state.camera is not before.camera:
            self.dirty = True
            self._clock(restart=self.state.playhead.playing != before.playhead.playing)
        if reaction.command == "quit":
            return False
        if reaction.command == "print_camera" and self.frame is not None:
            print(f"# {self.frame.label}, {self.frame.time.seconds:.3f} s into the video", flush=True)
            print(keyframe_block(pose, self.frame.time.seconds), flush=True)
        if reaction.command == "save_still" and self.image is not None:
            self._save_still()
        return True

    def _save_still(self) -> None:
        import imageio.v3 as iio

        assert self.planned is not None
        self.options.stills_dir.mkdir(parents=True, exist_ok=True)
        path = self.options.stills_dir / f"{self.planned.path.stem}_{self.state.playhead.index:05d}.png"
        iio.imwrite(path, self.image)
        print(f"wrote {path}", file=sys.stderr, flush=True)

    def _play(self) -> None:
        playhead = self.state.playhead
        now = time.monotonic()
        if not playhead.playing or now < self.next_due:
            return
        frames = 1 + int((now - self.next_due) * self._fps())  # frames that fell behind are skipped
        self.state = dataclasses.replace(self.state, playhead=playhead.advanced(frames))
        self.next_due += frames / self._fps()
        self._clock()
        self.dirty = True

    def close(self) -> None:
        if self.renderer is not None:
            self.renderer.close()
        if self.window is not None:
            self.window.close()


def preview_file(path: Path, options: PreviewOptions) -> None:
    """Play a recording in a window until it is closed (or `options.exit_after_frames` redraws)."""
    loop = _Loop(options, f"rerender preview {path.name}")
    try:
        loop.use(PlannedRecording(path, options.sources), follow=False)
        while loop.step():
            pass
    finally:
        loop.close()


def preview_live(host: str, port: int, options: PreviewOptions) -> None:
    """Run a `rerender serve` server on `port` and show the newest recording streamed into it, kept at its
    latest time unless the user moved away from it. Recordings land in a temporary folder."""
    try:
        from ..net.server import start_server
    except ImportError as e:
        raise RerenderError(f"--listen needs rerender's gRPC server (rerender.net.server): {e}") from None
    with tempfile.TemporaryDirectory(prefix="rerender-preview-") as folder:
        out_dir = Path(folder)
        server = start_server(host, port, out_dir)
        loop = _Loop(options, f"rerender preview {server.url}")
        print(f"rerender preview: listening on {server.url}", file=sys.stderr, flush=True)
        watcher = _LiveWatcher(out_dir, options.sources, loop)
        try:
            while loop.step(watcher.poll):
                pass
        finally:
            loop.close()
            server.stop(STOP_GRACE_SECONDS)


class _LiveWatcher:
    """Re-reads the newest recording of a server's folder when it changed since it was last read."""

    def __init__(self, out_dir: Path, sources: SettingsSources, loop: _Loop) -> None:
        self.out_dir, self.sources, self.loop = out_dir, sources, loop
        self.seen: FileState | None = None
        self.last_error: str | None = None
        self.next_poll = 0.0

    def poll(self) -> None:
        now = time.monotonic()
        if now < self.next_poll:
            return
        self.next_poll = now + LIVE_POLL_SECONDS
        newest = newest_recording(self.out_dir.glob("*.rrd"))
        if newest is None or newest == self.seen:
            return
        try:
            planned = plan_growing(newest.path, self.sources)
        except (RerenderError, ValueError, OSError) as e:
            if str(e) != self.last_error:  # a recording may not fit the settings until more arrives
                self.last_error = str(e)
                print(f"rerender preview: not shown yet: {e}", file=sys.stderr, flush=True)
            return
        self.last_error = None
        switched = self.seen is None or newest.path != self.seen.path
        self.seen = newest
        playhead = self.loop.state.playhead
        self.loop.use(planned, follow=switched or playhead.at_end)
