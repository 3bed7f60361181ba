"""`rerender preview`: a window that plays a recording, or follows a live stream, drawn by the same
renderer, settings and camera rigs as `rerender render` (so what the window shows is what `render` writes).

navigation.py: mouse orbit/pan/zoom and the `c` keyframe block (pure camera math); playback.py: the
playhead (play, step, home/end, following a growing recording); source.py: a recording planned as
`render` plans it, and the newest recording of a live server's folder; window.py: the glfw window that
shows rendered frames; app.py: the loop that ties them together.
"""
