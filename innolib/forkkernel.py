"""Fast kernel start for the batch: fork fresh ipykernels from a process that imported once.

papermill's cost per notebook is mostly the kernel's start and its imports (Python, IPython,
ipykernel, pandas, matplotlib, seaborn, innolib: ≈ 2–3 s of CPU per run). A *zygote*
process imports all of that once; each run's kernel is a ``fork()`` of it, started with
the connection file, working directory and environment jupyter_client prepared, exactly
as ``python -m ipykernel_launcher -f …`` would start. No user code ever runs in the
zygote, so every kernel starts from the same clean state as a fresh one; only the module
imports are already done (``sys.modules``), which no notebook can observe in its outputs.

Used by ``innolib.batch`` through ``ForkKernelManager`` (a jupyter_client
``AsyncKernelManager`` whose provisioner asks the zygote for a kernel instead of
spawning ``python``). Linux only; elsewhere the batch uses ordinary kernels.

Protocol (one JSON line each way over the zygote's stdin/stdout): request
``{"argv": [...], "cwd": ..., "env": {...}}``, reply ``{"pid": N}``. The zygote ignores
SIGCHLD (the system reaps the kernels it forks) and SIGINT (it ends when its worker closes
the pipe); each kernel gets both back as a fresh Python has them.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

#: imported once in the zygote (what the analysis notebooks import); import errors are ignored
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "pandas",
    "numpy",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "yaml",
    "jinja2",
    "pyarrow",
    "pyarrow.parquet",
    "pandera.pandas",
    "innolib",
    "innolib.load",
    "innolib.indicators",
    "innolib.analyses",
    "innolib.charts",
    "innolib.narrative",
    "innolib.export",
    "innolib.notebooks",
    "innolib.disclosure",
    "innolib.registry",
    "innolib.theme",
    "noto_cjk_sans_otc",
)
_INLINE = "module://matplotlib_inline.backend_inline"
_START_CWD = os.getcwd()


class _Zygote:
    """The pre-imported process kernels are forked from (one per batch worker process)."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # what ipykernel does at start when MPLBACKEND is unset, done before matplotlib is imported
        env["MPLBACKEND"] = env.get("MPLBACKEND") or _INLINE
        self.process = subprocess.Popen(
            [sys.executable, "-m", "innolib.forkkernel"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            bufsize=1,
        )
        self.lock = threading.Lock()
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            raise RuntimeError(f"kernel zygote failed to start: {ready!r}")

    def fork(self, argv: list[str], cwd: str, env: dict[str, str]) -> int:
        with self.lock:
            self.process.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError("kernel zygote exited")
        return int(json.loads(reply)["pid"])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


_ZYGOTE: _Zygote | None = None


def zygote() -> _Zygote:
    """This process's zygote, started on first use."""
    global _ZYGOTE
    if _ZYGOTE is None or _ZYGOTE.process.poll() is not None:
        _ZYGOTE = _Zygote()
    return _ZYGOTE


def available() -> bool:
    """Whether forked kernels can be used here: Linux (``fork`` and ``/proc``; macOS forks
    badly once system frameworks are loaded, so it gets ordinary kernels)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class _ForkedProcess:
    """A Popen-like handle on a kernel forked by the zygote (not our child: no waitpid)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.stdin = self.stdout = self.stderr = None
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
                with open(f"/proc/{self.pid}/stat", "rb") as stat:  # a zombie is gone for us
                    if stat.read().rsplit(b") ", 1)[1][:1] == b"Z":
                        self.returncode = 0
            except (ProcessLookupError, FileNotFoundError):
                self.returncode = 0
            except (PermissionError, IndexError):
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        waited = 0.0
        while self.poll() is None:
            if timeout is not None and waited >= timeout:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
            waited += 0.02
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):
    """Starts the kernel by forking the zygote instead of spawning ``python -m ipykernel_launcher``."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        if "-f" not in cmd:
            raise RuntimeError(f"unexpected kernel command: {cmd}")
        argv = cmd[cmd.index("-f") :]
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch_kernel sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = zygote().fork(argv, cwd, env)
        self.process = _ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid  # the kernel calls setsid(): its own process group
        self.cwd = cwd
        return self.connection_info


class IPCKernelManager(AsyncKernelManager):
    """An AsyncKernelManager that talks to its kernel over Unix sockets instead of TCP ports.

    Parallel runs in separate processes each pick "free" TCP ports by binding to port 0
    and releasing it, so two kernels can be handed the same port and one dies before it
    answers ("Kernel died before replying to kernel_info"). Unix sockets named after a
    random prefix cannot collide, and nothing listens on the network.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)
        if self.transport == "ipc":  # short paths: a Unix socket path holds at most 107 bytes
            import tempfile
            import uuid

            self.ip = os.path.join(tempfile.gettempdir(), f"innolib-kernel-{uuid.uuid4().hex[:12]}")


class ForkKernelManager(IPCKernelManager):
    """A kernel manager whose kernels are forked from the zygote (pass as ``kernel_manager_class``)."""

    async def _async_pre_start_kernel(self, **kw: Any):  # type: ignore[override]
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


# ----------------------------------------------------------------------------- the zygote


def _serve() -> None:
    """The zygote's loop: import once, then fork one kernel per request line."""
    import importlib

    for name in PRELOAD:
        # an optional module missing only costs its import later
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    # Ctrl-C reaches the whole process group: the zygote ends when its worker closes the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: become an ipykernel with the given connection file, cwd and environment."""
    code = 0
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a freshly started python
        devnull = os.open(os.devnull, os.O_RDWR)
        keep = (2,) if os.environ.get("INNOLIB_KERNEL_STDERR") else ()
        for fd in (0, 1, 2):  # errors reach the batch as notebook outputs, not on the terminal
            if fd not in keep:
                os.dup2(devnull, fd)
        os.close(devnull)
        if (
            sys.path and sys.path[0] == _START_CWD
        ):  # what `python -m` puts first, for the kernel's cwd
            sys.path[0] = request["cwd"]
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.stdin = open(os.devnull)  # noqa: SIM115 (the kernel owns stdin for its life)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # traits whose defaults ipykernel reads from the environment when the class is
        # created (in the zygote, before this kernel's environment existed)
        app.parent_handle = int(os.environ.get("JPY_PARENT_PID") or 0)
        app.interrupt = int(os.environ.get("JPY_INTERRUPT_EVENT") or 0)
        _watch(app.parent_handle)
        app.initialize(request["argv"])
        app.start()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _watch(pid: int) -> None:
    """Ends this kernel when the process that asked for it (the batch worker) is gone.

    ipykernel's own parent poller watches the kernel's parent, which here is the zygote;
    a worker killed before it could shut its kernel down must not leave the kernel running.
    """
    if pid <= 1:
        return
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="innolib-parent-watch", daemon=True).start()


if __name__ == "__main__":  # pragma: no cover
    _serve()
