"""A student's kernel, sandboxed with bubblewrap, and the kernel manager that starts it.

The kernel sees a private copy of the student's assignment folder (its working directory
and home), the Python environment read-only, a private /tmp and the folder of its Unix
sockets (``io``), and nothing else: no solutions/, no autograder/, no other student, no
instructor's home. It has no network (loopback included), its own process namespace,
runs as an unprivileged user (uid 65534, no capabilities, no new privileges) and under the
course's memory and process limits. The grader talks to it over ZeroMQ on Unix sockets
(Jupyter's ``ipc`` transport) in ``io``, which the kernel and the grader see at one path.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

NOBODY = 65534  # the unprivileged user the kernel runs as (when the grader runs as root)


def bwrap():
    """The bubblewrap executable: $RNNKIT_BWRAP, or bwrap on the PATH."""
    return os.environ.get("RNNKIT_BWRAP", "bwrap")

# Output a cell may print is capped inside the kernel: a guard for the grader's memory, not for grades.
LIMITS_STARTUP = '''import sys as _sys


class _Capped:
    def __init__(self, stream, cap):
        self._stream, self._left = stream, cap

    def write(self, text):
        if self._left > 0:
            self._stream.write(text[: self._left])
            if len(text) > self._left:
                self._stream.write("\\n[output cut by the grader after {output_mb} MiB]\\n")
            self._left -= len(text)
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


_sys.stdout = _Capped(_sys.stdout, {output_mb} * 2**20)
_sys.stderr = _Capped(_sys.stderr, {output_mb} * 2**20)
del _sys, _Capped
'''


def _probe_command():
    return [bwrap(), "--unshare-pid", "--unshare-net", "--die-with-parent", "--ro-bind", "/", "/", "true"]


def available():
    """None if kernels can be sandboxed here, else the reason they cannot."""
    if not shutil.which(bwrap()):
        return f"bubblewrap ({bwrap()}) is not installed (Debian: apt-get install bubblewrap)"
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        return "setpriv (util-linux) is not installed"
    cmd = _probe_command() if os.geteuid() == 0 else [bwrap(), "--unshare-user", *_probe_command()[1:]]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap cannot start a sandbox here ({err})"
    if done.returncode != 0:
        return f"bubblewrap cannot start a sandbox here: {done.stderr.strip()[:200]}"
    return None


def python_paths():
    """Folders the kernel's Python needs, read-only: the interpreter, the environment, rnnkit's source."""
    import rnnkit

    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(rnnkit.__file__).resolve().parent}
    paths |= {Path(p) for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])}
    resolved = {p.resolve() for p in paths if p.exists()}
    # the smallest set: drop folders inside another one
    return sorted(p for p in resolved if not any(q != p and q in p.parents for q in resolved))


class Sandbox:
    """One student's private folders: ``home`` (the assignment copy, the working directory) and ``io``."""

    def __init__(self, assignment_folder, memory_mb=4096, output_mb=20, isolate=True):
        self.root = Path(tempfile.mkdtemp(prefix="rnnkit-sandbox-"))
        self.home, self.io = self.root / "home", self.root / "io"
        self.work = self.home / Path(assignment_folder).name
        shutil.copytree(assignment_folder, self.work)
        self.io.mkdir()
        startup = self.home / ".ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-limits.py").write_text(LIMITS_STARTUP.format(output_mb=output_mb))
        self.memory_mb, self.isolate = memory_mb, isolate
        if isolate and os.geteuid() == 0:
            for folder in (self.home, self.io, *self.home.rglob("*")):
                os.chown(folder, NOBODY, NOBODY)
        os.chmod(self.root, 0o755)

    def env(self):
        keep = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS_", "OMP_", "MKL_", "NBGRADER_"))}
        home = str(self.home) if not self.isolate else "/home/student"
        return {**keep, "HOME": home, "IPYTHONDIR": f"{home}/.ipython", "MPLCONFIGDIR": "/tmp/matplotlib",
                "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1",
                "MPLBACKEND": "module://matplotlib_inline.backend_inline", "LANG": "C.UTF-8"}

    def wrap(self, cmd):
        """``cmd`` run inside the sandbox, with the limits applied."""
        limits = ["prlimit", f"--as={self.memory_mb * 2**20}", "--core=0", "--nproc=512", "--"]
        if not self.isolate:
            return limits + cmd
        args = [bwrap(), "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--clearenv"]
        made = set()

        def bind(kind, source, target):
            # bwrap makes missing parents 0700: make them 0755, so the unprivileged user can pass
            for parent in reversed(Path(target).parents):
                if str(parent) != "/" and parent not in made:
                    made.add(parent)
                    args.extend(["--perms", "0755", "--dir", str(parent)])
            args.extend([kind, str(source), str(target)])

        # /tmp first: the environment (a course checked out under /tmp, say) is bound over it, not hidden by it
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        for path in ("/usr", "/bin", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts"):
            if os.path.exists(path):
                bind("--ro-bind", path, path)
        for path in python_paths():
            bind("--ro-bind", path, path)
        bind("--bind", self.home, "/home/student")
        bind("--bind", self.io, self.io)
        args += ["--chdir", f"/home/student/{self.work.name}"]
        for key, value in self.env().items():
            args += ["--setenv", key, value]
        if os.geteuid() == 0:  # drop to an unprivileged user with no capabilities
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                     "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                     "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]
        else:
            args += ["--unshare-user", "--"]
        return limits + args + cmd

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in ``self.sandbox`` and listens on Unix sockets there."""

    def __init__(self, sandbox, **kwargs):
        super().__init__(transport="ipc", ip=str(sandbox.io / "kernel"),
                         connection_file=str(sandbox.io / "kernel.json"), **kwargs)
        self.sandbox = sandbox
        # interrupts go as messages: a signal cannot reach a kernel in its own process namespace
        self._kernel_spec = KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (sandboxed)", language="python", interrupt_mode="message", env={},
        )

    @property
    def kernel_spec(self):
        return self._kernel_spec

    def format_kernel_cmd(self, extra_arguments=None):
        return self.sandbox.wrap(super().format_kernel_cmd(extra_arguments))

    async def _async_pre_start_kernel(self, **kw):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        kw["env"] = self.sandbox.env() | ({} if self.sandbox.isolate else dict(os.environ) | self.sandbox.env())
        kw["cwd"] = str(self.sandbox.work)
        log = open(self.sandbox.root / "kernel.log", "w")  # noqa: SIM115 - kept open for the kernel's lifetime
        kw["stdout"] = kw["stderr"] = log
        os.chmod(self.connection_file, 0o644)
        return cmd, kw
