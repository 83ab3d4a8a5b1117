"""What the Python module's tests share: where the command line is, running it, and its message lines.

The tests compare the module with the command line on the same inputs, so both must come from one build:
ctest passes the executable and the module's folder (tests/python/CMakeLists.txt)."""
import json
import os
import subprocess
import tempfile
import unittest

CIMNET = os.environ.get("CIMNET_EXE", "")
SOURCE_DIR = os.environ.get("CIMNET_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
ONNX_FIXTURES = os.environ.get("CIMNET_ONNX_FIXTURES", "")

import cimnet  # noqa: E402  (after the environment is read: PYTHONPATH names the build's module)


def run_cli(*args, check=True):
    """Runs `cimnet ARGS`; returns (exit status, stdout, stderr)."""
    if not CIMNET:
        raise unittest.SkipTest("CIMNET_EXE is not set (run through ctest)")
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    p = subprocess.run([CIMNET, *args], capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"cimnet {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    return json.loads(run_cli(*args)[1])


def cli_error(*args):
    """The one-line message the command line prints for bad input (exit 2), without its 'cimnet CMD: '."""
    code, _, err = run_cli(*args, check=False)
    if code != 2:
        raise AssertionError(f"cimnet {' '.join(args)} exited {code}, expected 2: {err}")
    line = err.strip().splitlines()[-1]
    prefix = f"cimnet {args[0]}: "
    if not line.startswith(prefix):
        raise AssertionError(f"unexpected message line: {line}")
    return line[len(prefix):]


def temp_dir(test):
    d = tempfile.TemporaryDirectory(prefix="cimnet-py-")
    test.addCleanup(d.cleanup)
    return d.name


def source(*parts):
    return os.path.join(SOURCE_DIR, *parts)
