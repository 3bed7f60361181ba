#!/bin/sh
# Regenerates docs/posters/<config>.png: one frame of each configs/*.toml, rendered on the example
# recording its header names, at 480x270 (pinhole.toml: the Pinhole's own 160x120).
#   sh docs/posters/make_posters.sh        (from a fresh checkout; sets up .venv as `make demo` does)
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory .venv/.installed
BIN=.venv/bin

mkdir -p outputs
$BIN/rerender run -o outputs/dna_abacus.rrd examples/dna_example.py
$BIN/python examples/robot_arm.py outputs/robot_arm.rrd
$BIN/python examples/pinhole_camera.py outputs/pinhole_camera.rrd

# poster CONFIG RECORDING [OPTIONS...]: a still PNG (--still picks the time; orbit and keyframes
# stills are the video's frame at that time, as in the full render).
poster() {
    config=$1 recording=$2
    shift 2
    $BIN/rerender render "outputs/$recording.rrd" --config "configs/$config.toml" \
        -o "docs/posters/$config.png" "$@"
}
SIZE="--size 480x270"
poster default dna_abacus $SIZE --still 2s
poster orbit dna_abacus $SIZE --still 1s
poster keyframes dna_abacus $SIZE --still 3s
poster follow robot_arm $SIZE --still 60
poster pinhole pinhole_camera --still 15
poster ci dna_abacus $SIZE --still 2s
# paper.toml asks for 8x MSAA; where OpenGL allows fewer (llvmpipe: 4), the renderer uses the most it can.
poster paper dna_abacus $SIZE
# The pyrender backend (the `pyrender` extra; `make test` installs it): paper.toml's look, three-point lights
# and shadows, on the robot's gripper (an STL Asset3D), framed by follow.toml.
$BIN/rerender render outputs/robot_arm.rrd --config configs/paper.toml --config configs/follow.toml --renderer pyrender \
    --set look.lights=three-point --set look.shadows=true --set look.supersample=2 \
    --size 480x270 --still 60 -o docs/posters/pyrender_shadows.png
