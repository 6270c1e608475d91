"""Run the portal as several Streamlit processes behind nginx on this host (production mode).

    python deploy/cluster.py                      # one process per core on 8501.., nginx on 8080
    python deploy/cluster.py --processes 2 --nginx-port 8080 --first-port 8501

Every process shares HANDBOOK_DATA_DIR (SQLite in WAL mode) and HANDBOOK_INDEX_DIR (one search
index; a lock file lets one process write at a time, the others reopen their searcher when the
manifest changes). nginx routes each browser to one process by a route cookie
(`nginx/haandbogen.conf`, the same file an administrator installs under /etc/nginx).

The tests and bench/load_bench.py use `Cluster` to start the same set-up on free loopback ports
with nginx's pid file, logs and temporary files in a folder of their own.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONFIG = Path(__file__).resolve().parent / "nginx" / "haandbogen.conf"
SERVERS_BLOCK = re.compile(r"(# BEGIN portal processes\n).*?(\s*# END portal processes)", re.S)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(ports: list[int], listen: str) -> str:
    """The shipped nginx site with the given portal ports and listen address."""
    text = SITE_CONFIG.read_text(encoding="utf-8")
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=0;\n" for port in ports)
    text = SERVERS_BLOCK.sub(lambda m: m.group(1) + servers.rstrip("\n") + m.group(2), text)
    return re.sub(r"^    listen 80;", f"    listen {listen};", text, count=1, flags=re.M)


def nginx_main_config(site: str, prefix: Path) -> str:
    """A complete nginx.conf around the site for an unprivileged nginx run from a folder."""
    temp = "\n".join(f"    {name}_temp_path {prefix / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
{temp}
{site}
}}
"""


def wait_for_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: processen stoppede (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} svarede ikke inden for {timeout:.0f} s")


@dataclass
class Cluster:
    """N portal processes on loopback, optionally behind nginx; a context manager."""

    processes: int = 1
    nginx: bool = False
    data_dir: Path | None = None
    index_dir: Path | None = None
    content_dir: Path | None = None
    server_options: list[str] = field(default_factory=list)
    first_port: int | None = None
    nginx_port: int | None = None
    workdir: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    upstream_header: bool = False  # tests: nginx names the process that answered (X-Haandbogen-Upstream)
    ports: list[int] = field(default_factory=list)
    procs: list[subprocess.Popen] = field(default_factory=list)
    nginx_proc: subprocess.Popen | None = None
    _own_workdir: bool = False

    @property
    def url(self) -> str:
        """Where a browser goes: nginx if it runs, else the first process."""
        port = self.nginx_port if self.nginx_proc is not None else self.ports[0]
        return f"http://127.0.0.1:{port}"

    def process_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def start(self, timeout: float = 90) -> Cluster:
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="haandbogen-cluster-"))
            self._own_workdir = True
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env}
        env["HANDBOOK_DATA_DIR"] = str(self.data_dir or self.workdir / "data")
        env["HANDBOOK_INDEX_DIR"] = str(self.index_dir or self.workdir / "search_index")
        if self.content_dir is not None:
            env["HANDBOOK_CONTENT_DIR"] = str(self.content_dir)
        # Build or update the shared search index once before the processes start, so they do
        # not all wait for one writer on their first page run.
        subprocess.run([sys.executable, "-m", "handbook", "index"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=timeout * 4)
        self.ports = [(self.first_port + i) if self.first_port else free_port() for i in range(self.processes)]
        try:
            for number, port in enumerate(self.ports):
                options = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
                for option in self.server_options:
                    key, _, value = option.partition("=")
                    options += [f"--{key}", value]
                log = open(self.workdir / f"portal-{number + 1}.log", "wb")
                self.procs.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), *options],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                ))
            for port, proc in zip(self.ports, self.procs):
                wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout, proc)
            if self.nginx:
                self._start_nginx(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_nginx(self, timeout: float) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx er ikke installeret (make nginx)")
        self.nginx_port = self.nginx_port or free_port()
        prefix = self.workdir / "nginx"
        prefix.mkdir(exist_ok=True)
        conf = prefix / "nginx.conf"
        site = site_config(self.ports, f"127.0.0.1:{self.nginx_port}")
        if self.upstream_header:
            site = site.replace("    add_header Set-Cookie", "    add_header X-Haandbogen-Upstream $upstream_addr always;\n    add_header Set-Cookie", 1)
        conf.write_text(nginx_main_config(site, prefix), encoding="utf-8")
        self.nginx_proc = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=open(prefix / "stdout.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_http(f"{self.url}/_stcore/health", timeout, self.nginx_proc)

    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def stop(self) -> None:
        running = [p for p in [self.nginx_proc, *self.procs] if p is not None and p.poll() is None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._own_workdir and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Start Håndbogen som flere processer bag nginx.")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="antal portalprocesser (standard: én pr. kerne)")
    parser.add_argument("--first-port", type=int, default=8501)
    parser.add_argument("--nginx-port", type=int, default=8080, help="0: start ikke nginx (brug den installerede)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "cluster")
    args = parser.parse_args()
    cluster = Cluster(processes=args.processes, nginx=args.nginx_port != 0, first_port=args.first_port,
                      nginx_port=args.nginx_port or None, workdir=args.workdir,
                      data_dir=Path(os.environ.get("HANDBOOK_DATA_DIR") or ROOT / "data"),
                      index_dir=Path(os.environ.get("HANDBOOK_INDEX_DIR") or ROOT / "search_index"))
    cluster.start()
    print(f"Håndbogen kører på {cluster.url} ({args.processes} processer: {', '.join(map(str, cluster.ports))}). Ctrl-C stopper.")
    try:
        while all(p.poll() is None for p in cluster.procs):
            time.sleep(1)
        print("En portalproces stoppede; stopper resten.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
