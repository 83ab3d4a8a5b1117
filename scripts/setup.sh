#!/usr/bin/env bash
# Installs the Debian packages cimnet needs (only those missing), then configures and builds build/.
# Idempotent and non-interactive: a second run on a set-up machine installs nothing and rebuilds
# incrementally. Arguments name the targets to build (default: all, tests included); the quick start
# builds only `cimnet` and takes about half the build time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake pkg-config
  libsystemc-dev            # SystemC 2.3.4 with TLM-2.0 (built as C++17)
  libeigen3-dev             # ridge regression, linear algebra
  libboost-program-options-dev
  libgtest-dev libgmock-dev googletest
  libyaml-cpp-dev           # scenario and network files
  nlohmann-json3-dev        # JSON reports, model files
  libsvm-dev                # epsilon-SVR predictors
  libpagmo-dev              # test oracle for NSGA-II sorting, crowding and hypervolume
  libopenmpi-dev openmpi-bin  # datasets and searches across machines (mpirun)
  python3-matplotlib        # cimnet report: figures (run with Debian's /usr/bin/python3)
  libonnx-dev libprotobuf-dev  # --onnx: reading ONNX models and inferring their shapes
  python3-onnx              # the ONNX test fixtures (scripts/onnx_fixtures.py, run with /usr/bin/python3)
  pybind11-dev python3-dev  # the Python module cimnet (python/, docs/python.md), for /usr/bin/python3
  python3-numpy             # the module's NumPy arrays (optional at run time; the tests use them)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build_type="${CIMNET_BUILD_TYPE:-Release}"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$root/build" -j "$(nproc)" "${targets[@]}"

# The Python module (python/, docs/python.md), when built: build/python goes on the path of the
# interpreters `python3` and Debian's /usr/bin/python3 are, through a cimnet.pth file in each one's user
# site-packages folder, so that `python3 -c "import cimnet"` works from anywhere. No package manager is
# involved; deleting the file undoes it.
for interpreter in python3 /usr/bin/python3; do
  command -v "$interpreter" >/dev/null 2>&1 || continue
  site="$("$interpreter" -c 'import site, sys; sys.stdout.write(site.getusersitepackages() if site.ENABLE_USER_SITE else "")' 2>/dev/null || true)"
  if [ -z "$site" ]; then
    echo "setup: $interpreter has no user site-packages folder; to import cimnet, set PYTHONPATH=$root/build/python"
    continue
  fi
  mkdir -p "$site"
  if [ "$(cat "$site/cimnet.pth" 2>/dev/null)" != "$root/build/python" ]; then
    printf '%s\n' "$root/build/python" > "$site/cimnet.pth"
    echo "setup: $interpreter imports cimnet from $root/build/python ($site/cimnet.pth)"
  fi
done
