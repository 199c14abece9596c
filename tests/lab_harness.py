"""A real JupyterLab server on loopback, started as the README starts it, for the set-up and browser tests."""

import json
import os
import queue
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDENT_CONFIG = REPO / "lab" / "student.py"
JUPYTER = Path(sys.executable).parent / "jupyter"
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra):
    """The environment of a learner's shell: none of the tests' one-thread settings (tests/conftest.py)."""
    env = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES}
    env["PATH"] = os.pathsep.join([str(JUPYTER.parent), env.get("PATH", "")])
    return {**env, **extra}


@dataclass
class Lab:
    url: str
    token: str
    runtime_dir: Path
    log: Path

    def get(self, path):
        """(status, body) of GET url/path with the token."""
        request = urllib.request.Request(f"{self.url}/{path}", headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path, data, method="POST"):
        request = urllib.request.Request(
            f"{self.url}/{path}", data=json.dumps(data).encode(), method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def kernel_client(self, path=""):
        """A started kernel (POST /api/kernels, as JupyterLab does) and a blocking client of it."""
        from jupyter_client import BlockingKernelClient

        kernel = self.post("api/kernels", {"name": "python3", "path": path})
        client = BlockingKernelClient(connection_file=str(self.runtime_dir / f"kernel-{kernel['id']}.json"))
        client.load_connection_file()
        client.start_channels(hb=False)  # a loaded machine misses heartbeats: wait for a reply instead
        deadline = time.monotonic() + 120
        while True:
            msg_id = client.kernel_info()
            try:
                while client.get_shell_msg(timeout=5)["parent_header"].get("msg_id") != msg_id:
                    pass
                return client
            except queue.Empty:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the kernel did not answer:\n{self.log_text()}") from None

    def log_text(self):
        return self.log.read_text()


@contextmanager
def lab(root, tmp, cwd=None, config=STUDENT_CONFIG, env=None):
    """JupyterLab serving ``root`` (None: the config's choice) from ``cwd`` (default the repository, as the
    README's first command), with ``config`` as `--config` (None: a plain `jupyter lab`, as the instructor's)."""
    tmp = Path(tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), "rnnkit-test"
    runtime, log = tmp / "runtime", tmp / f"lab-{port}.log"
    args = [str(JUPYTER), "lab", *([str(root)] if root else []), "--no-browser", "--allow-root", "--ip=127.0.0.1",
            f"--port={port}", f"--IdentityProvider.token={token}"]
    if config is not None:
        args.insert(2, f"--config={config}")
    env = clean_env(JUPYTER_RUNTIME_DIR=str(runtime), **(env or {}))
    with open(log, "w") as out:
        server = subprocess.Popen(args, cwd=cwd or REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield Lab(url, token, runtime, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
