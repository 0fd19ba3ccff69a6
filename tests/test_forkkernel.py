"""Forked kernels: they start, and they never outlive the batch worker that asked for them."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from innolib import forkkernel

pytestmark = pytest.mark.skipif(not forkkernel.available(), reason="forked kernels are Linux only")

_WORKER = """
import asyncio, sys, time
from innolib import forkkernel
km = forkkernel.ForkKernelManager(kernel_name="python3")
asyncio.run(km.start_kernel(cwd=sys.argv[1]))
print(km.provisioner.pid, forkkernel.zygote().process.pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b") ", 1)[1][:1] != b"Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def _within(seconds: float, holds) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if holds():
            return True
        time.sleep(0.05)
    return False


def _gone_within(pid: int, seconds: float) -> bool:
    return _within(seconds, lambda: not _alive(pid))


def test_a_forked_kernel_and_its_zygote_end_when_the_worker_is_killed(tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-c", _WORKER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        kernel, zygote = (int(x) for x in worker.stdout.readline().split())
        assert _alive(kernel) and _alive(zygote) and kernel != zygote
        # it moves where it was asked to (the zygote replies with its pid as it forks, the
        # child changes directory a moment later: on a loaded machine, after the reply)
        assert _within(5.0, lambda: os.readlink(f"/proc/{kernel}/cwd") == str(tmp_path))
    finally:
        worker.kill()  # no chance to shut its kernel down
        worker.wait()
    assert _gone_within(kernel, 5.0)
    assert _gone_within(zygote, 5.0)


def test_the_fork_provisioner_is_chosen_through_the_public_entry_point():
    """jupyter_client finds ``innolib-fork`` among its provisioner entry points and builds it
    from a kernelspec's metadata: no private jupyter_client method is overridden."""
    from jupyter_client.provisioning import KernelProvisionerFactory

    factory = KernelProvisionerFactory.instance()
    spec = forkkernel.ForkKernelSpecManager().get_kernel_spec("python3")
    assert spec.metadata["kernel_provisioner"]["provisioner_name"] == "innolib-fork"
    assert factory.is_provisioner_available(spec)
    provisioner = factory.create_provisioner_instance("k1", spec, parent=None)
    assert type(provisioner) is forkkernel.ForkProvisioner
    # a plain manager gets the local provisioner for the same kernel name
    from jupyter_client.kernelspec import KernelSpecManager

    plain = KernelSpecManager().get_kernel_spec("python3")
    assert "kernel_provisioner" not in plain.metadata
    assert type(factory.create_provisioner_instance("k2", plain, parent=None)).__name__ == (
        "LocalProvisioner"
    )


def test_die_with_parent_ends_a_helper_when_its_parent_is_killed():
    """A grandchild that called die_with_parent() ends when its parent is SIGKILLed."""
    code = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "'from innolib.lifeline import die_with_parent; import time; "
        "print(die_with_parent(), flush=True); time.sleep(60)'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == "prctl"  # the child says how it is tied
    parent.kill()
    parent.wait()
    assert _gone_within(child, 5.0)


def test_a_ready_client_gets_the_first_cells_output_and_notices_a_dead_kernel(tmp_path):
    """The shortened readiness check keeps jupyter_client's guarantees: once it returns,
    IOPub is live (the first cell's print arrives), and a kernel that died is an error."""
    import asyncio

    async def scenario() -> tuple[str, str]:
        km = forkkernel.ForkKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        assert isinstance(kc, forkkernel.ReadyClient)
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        kc.execute("print('第一个单元格')")
        text = ""
        while not text:
            msg = await kc.get_iopub_msg(timeout=30)
            if msg["msg_type"] == "stream":
                text = msg["content"]["text"].strip()
        os.kill(km.provisioner.pid, 9)
        deadline = time.monotonic() + 30
        while _alive(km.provisioner.pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        try:
            await kc.wait_for_ready(timeout=30)
            died = ""
        except RuntimeError as error:
            died = str(error)
        kc.stop_channels()
        await km.cleanup_resources()
        return text, died

    text, died = asyncio.run(scenario())
    assert text == "第一个单元格"
    assert died == "Kernel died before replying to kernel_info"
