"""Fast kernel start for the batch: fork fresh ipykernels from a process that imported once.

papermill's cost per notebook is mostly the kernel's start and its imports (Python, IPython,
ipykernel, pandas, matplotlib, seaborn, innolib: ≈ 2–3 s of CPU per run). A *zygote*
process imports all of that once; each run's kernel is a ``fork()`` of it, started with
the connection file, working directory and environment jupyter_client prepared, exactly
as ``python -m ipykernel_launcher -f …`` would start. No user code ever runs in the
zygote, so every kernel starts from the same clean state as a fresh one; only the module
imports are already done (``sys.modules``), which no notebook can observe in its outputs.

Used by ``innolib.batch`` through ``ForkKernelManager``: its kernelspecs name the
``innolib-fork`` kernel provisioner (the ``jupyter_client.kernel_provisioners`` entry point
in ``pyproject.toml``), which asks the zygote for a kernel instead of spawning ``python``.
Linux only; elsewhere the batch uses ordinary kernels.

Protocol: one connection per request to the zygote's Unix socket (abstract namespace),
one JSON line each way: ``{"argv": [...], "cwd": ..., "env": {...}}`` → ``{"pid": N}``
(fork a kernel), or ``{"hold": [[path, lenient], ...]}`` → ``{"held": n}`` (load packages
for the kernels forked later: ``innolib.load.memory``). The batch starts one zygote and
its pool workers inherit it (``docs/batch.md``). The zygote ignores SIGCHLD (the system
reaps the kernels it forks) and SIGINT (it ends when its owner closes its stdin pipe, or
dies); each kernel gets both back as a fresh Python has them. The kernel client and
manager here also take out jupyter_client's idle waits (``ReadyClient``, ``_async_wait``).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import time
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

from innolib.lifeline import die_with_parent, watch_pid

#: imported once in the zygote (what the analysis notebooks import); import errors are ignored
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # every kernel imports it (debugpy: ~0.08 s a start)
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
    "innolib.load.assemble",  # ``import innolib.load`` alone no longer imports the parsers
    "innolib.load.cache",
    "innolib.indicators",
    "innolib.analyses",
    "innolib.charts",
    "innolib.narrative",
    "innolib.present",
    "innolib.export",
    "innolib.notebooks",
    "innolib.disclosure",
    "innolib.registry",
    "innolib.theme",
    "innolib.circulation",
    "innolib.wording",
    "innolib.examples",
    "innolib.word",
    "innolib.indicator_workbook",
    "innolib.comparisons",
    "openpyxl",  # indicators.xlsx (~0.1 s to import)
    "matplotlib.backends.backend_agg",
    # never matplotlib_inline.backend_inline: importing it registers the figure formatter
    # with the running IPython shell, which a kernel only has after the fork
    "jinja2.ext",
    "noto_cjk_sans_otc",
)
#: library caches filled once in the zygote after the imports (no user code: compiled
#: templates), as ``(module, function)``
WARM = (("innolib.narrative", "compile_templates"),)
#: the name ``pyproject.toml`` registers ``ForkProvisioner`` under (``jupyter_client.kernel_provisioners``)
PROVISIONER_NAME = "innolib-fork"
_INLINE = "module://matplotlib_inline.backend_inline"
_START_CWD = os.getcwd()


class _Zygote:
    """The pre-imported process kernels are forked from.

    It serves requests on a Unix socket in Linux's abstract namespace (no file to leave
    behind), one connection per request, so every process that knows its address can use
    it: the batch starts one before its pool, the workers forked from the batch inherit
    this object and all ask the same zygote (one set of imports, and one copy of the
    packages it holds, instead of one per worker). It binds its socket before importing,
    so a request sent at once waits in the socket's queue until the imports are done.
    Its stdin pipe is its lifeline: the zygote ends when its owner closes it or dies.
    """

    def __init__(self) -> None:
        import uuid

        env = dict(os.environ)
        # what ipykernel does at start when MPLBACKEND is unset, done before matplotlib is imported
        env["MPLBACKEND"] = env.get("MPLBACKEND") or _INLINE
        # debugpy, imported here for the kernels, warns on stderr about frozen modules at
        # import (a kernel's stderr goes nowhere, the zygote's to the terminal); the check
        # it names only matters to breakpoints, which batch kernels never have
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        self.address = f"\0innolib-zygote-{uuid.uuid4().hex}"
        self.owner = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "innolib.forkkernel", self.address[1:]],
            stdin=subprocess.PIPE,
            env=env,
        )

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Sends one request and waits for its one-line JSON reply."""
        return self.reply(self.send(payload))

    def send(self, payload: dict[str, Any]) -> Any:
        """Connects and sends one request; returns the connection to read the reply from.

        The zygote answers connections in the order they were made, so a request sent
        here is served before any made later, whichever process makes them.
        """
        import socket

        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:  # until the new zygote has bound its address (~0.1 s after start)
            try:
                conn.connect(self.address)
                break
            except (ConnectionRefusedError, FileNotFoundError):
                if not self.alive():
                    conn.close()
                    raise RuntimeError("kernel zygote failed to start") from None
                time.sleep(0.005)
        conn.sendall((json.dumps(payload) + "\n").encode())
        return conn

    @staticmethod
    def reply(conn: Any) -> dict[str, Any]:
        """The reply to the request sent on ``conn`` (which it closes)."""
        with conn:
            line = conn.makefile("rb").readline()
        if not line:
            raise RuntimeError("kernel zygote exited")
        return json.loads(line)

    def fork(self, argv: list[str], cwd: str, env: dict[str, str]) -> int:
        return int(self.request({"argv": argv, "cwd": cwd, "env": env})["pid"])

    def hold(self, packages: list[tuple[str, bool]]) -> Any:
        """Asks the zygote to load these (path, lenient) packages before it forks any
        kernel asked for later (``innolib.load.memory``). Returns the connection: its
        ``reply`` says how many it could load (``{"held": n}``)."""
        return self.send({"hold": [list(p) for p in packages]})

    def alive(self) -> bool:
        if os.getpid() == self.owner:
            return self.process.poll() is None
        return _ForkedProcess(self.process.pid).poll() is None  # not our child: no waitpid

    def close(self) -> None:
        """Ends the zygote at once (it may still be importing; the kernels it forked
        belong to their workers and go on)."""
        if os.getpid() == self.owner and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process.stdin.close()


_ZYGOTE: _Zygote | None = None


def zygote() -> _Zygote:
    """This process's zygote (inherited from the batch, or started on first use)."""
    global _ZYGOTE
    if _ZYGOTE is None or not _ZYGOTE.alive():
        _ZYGOTE = _Zygote()
    return _ZYGOTE


def close_zygote() -> None:
    """Ends this process's zygote if this process started it (the next use starts anew)."""
    if _ZYGOTE is not None:
        _ZYGOTE.close()


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
    """Starts the kernel by forking the zygote instead of spawning ``python -m ipykernel_launcher``.

    A kernel provisioner (jupyter_client's documented way to change how kernels start),
    registered as ``innolib-fork``: a kernelspec whose metadata holds
    ``{"kernel_provisioner": {"provisioner_name": "innolib-fork"}}`` gets its kernels from
    here. Everything else (connection file, signals, shutdown, clean-up) is the local
    provisioner's; the handle it keeps is a ``_ForkedProcess`` instead of a ``Popen``.
    """

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


class ReadyClient(AsyncKernelClient):
    """An AsyncKernelClient whose readiness check does not sit idle.

    jupyter_client's ``wait_for_ready`` asks for ``kernel_info``, waits for the reply and
    for one IOPub message (the proof that the IOPub subscription is live, so no output
    of the first cell can be lost), then drains IOPub until 0.2 s pass without a message:
    0.2 s of nothing on every run. What it drains is the busy/idle status of the
    ``kernel_info`` request, which arrives within milliseconds and which the notebook
    client would skip anyway (it reads only messages whose parent is its own request).
    Here the same handshake is made and the drain stops at the first 10 ms of silence.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except queue.Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except queue.Empty:
                    pass  # IOPub not yet subscribed: ask again
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except queue.Empty:
                break


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

    @default("client_factory")
    def _ready_client(self) -> type:
        return ReadyClient

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        """Waits for the kernel to end after its shutdown request, looking every 5 ms
        (jupyter_client looks every 100 ms: a batch of short runs spent ~0.1 s on each)."""
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))


class ForkKernelSpecManager(KernelSpecManager):
    """The installed kernelspecs, each asking for the fork provisioner in its metadata.

    Selecting a provisioner is what a kernelspec's ``metadata.kernel_provisioner`` is for;
    the batch adds it here instead of installing a second kernelspec, so the notebooks keep
    the ``python3`` kernel they name and that every machine has.
    """

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        spec.metadata = {
            **spec.metadata,
            "kernel_provisioner": {"provisioner_name": PROVISIONER_NAME, "config": {}},
        }
        return spec


class ForkKernelManager(IPCKernelManager):
    """A kernel manager whose kernels come from ``ForkProvisioner`` (pass as ``kernel_manager_class``).

    jupyter_client picks the provisioner named in the kernelspec's metadata from the
    ``jupyter_client.kernel_provisioners`` entry points (``pyproject.toml``); this manager
    only reads its kernelspecs through ``ForkKernelSpecManager``.
    """

    @default("kernel_spec_manager")
    def _fork_kernel_specs(self) -> KernelSpecManager:
        return ForkKernelSpecManager(data_dir=self.data_dir)


# ----------------------------------------------------------------------------- the zygote


def _serve(address: str) -> None:
    """The zygote's loop: bind, import once, then answer one request per connection:
    fork a kernel (``{"argv", "cwd", "env"}`` → ``{"pid"}``) or hold packages
    (``{"hold": [[path, lenient], …]}`` → ``{"held"}``)."""
    import importlib
    import select
    import socket

    die_with_parent(signal.SIGKILL)  # a batch killed outright takes its zygote along
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + address)
    server.listen(64)
    for name in PRELOAD:
        # an optional module missing only costs its import later
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for module, function in WARM:
        with contextlib.suppress(Exception):
            getattr(importlib.import_module(module), function)()
    # The kernels are children of the zygote but belong to the worker that asked for them:
    # each watches that worker's pid (JPY_PARENT_PID) and ends within a second of it;
    # ipykernel's own parent poller only watches the zygote.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    # Ctrl-C reaches the whole process group: the zygote ends when its owner closes the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline = sys.stdin.buffer
    while True:
        readable, _, _ = select.select([server, lifeline], [], [])
        if lifeline in readable and not os.read(lifeline.fileno(), 4096):
            return  # the owner closed the pipe
        if server not in readable:
            continue
        conn, _ = server.accept()
        with conn:
            request = json.loads(conn.makefile("rb").readline())
            if "hold" in request:
                from innolib.load import memory

                held = sum(memory.hold(path, bool(lenient)) for path, lenient in request["hold"])
                reply = {"held": held}
            else:
                pid = os.fork()
                if pid == 0:
                    server.close()
                    conn.close()
                    _become_kernel(request)
                reply = {"pid": pid}
            conn.sendall((json.dumps(reply) + "\n").encode())


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
        watch_pid(app.parent_handle, signal.SIGKILL)  # see the note in _serve
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


if __name__ == "__main__":  # pragma: no cover
    _serve(sys.argv[1])
