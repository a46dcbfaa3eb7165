"""A real single-node Elasticsearch on 127.0.0.1 for tests, from Maven Central artifacts.

    python scripts/es_node.py run -- CMD ARGS...   start a node, run CMD with ARSHIF_ES_URL set, stop it
    python scripts/es_node.py start --dir DIR      start a node in DIR (printed: its URL), return
    python scripts/es_node.py stop --dir DIR       stop the node started in DIR, delete DIR
    python scripts/es_node.py fetch                download the artifacts only (into the cache)

What runs: the Elasticsearch server jar (org.elasticsearch:elasticsearch) and its HTTP module
(org.elasticsearch.plugin:transport-netty4) at the pinned VERSION, with their dependencies, as Maven
resolves them; started in one JVM by scripts/es_node/ArshifTestNode.java (the distribution's own
launcher is not on Maven Central). No security (the x-pack plugins are not loaded), bound to
127.0.0.1 only, a single-node cluster, a small heap. The jars are cached between runs under
$ARSHIF_CACHE (default ~/.cache/arshif); each node's data lives in its own folder, deleted on stop.

Elasticsearch 9.x needs Java 21 or newer: the script takes $ARSHIF_ES_JAVA_HOME, else $JAVA_HOME,
else `java` on the PATH, else the newest JDK under /usr/lib/jvm, whichever is new enough; with
none, it runs the 8.x fallback on Java 17. ARSHIF_ES_VERSION picks another version, ARSHIF_ES_HEAP
the heap (default 512m).
"""

from __future__ import annotations

import argparse
import json
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
from pathlib import Path

PINNED = "9.5.3"  # the Python client pinned in constraints.txt is 9.5.x
FALLBACK = "8.19.21"  # runs on Java 17, for a machine without Java 21 or newer
VERSION = os.environ.get("ARSHIF_ES_VERSION", PINNED)
HEAP = os.environ.get("ARSHIF_ES_HEAP", "512m")
START_TIMEOUT = 240.0  # seconds until green, a fresh 2-core machine included
STOP_TIMEOUT = 30.0
HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "es_node" / "ArshifTestNode.java"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
HTTP_MODULE = "transport-netty4"

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>arshif.test</groupId><artifactId>elasticsearch-node</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.elasticsearch</groupId><artifactId>elasticsearch</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.elasticsearch.plugin</groupId><artifactId>{module}</artifactId>
      <version>{version}</version></dependency>
  </dependencies>
</project>
"""

LOG4J = """status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
"""


class NodeError(RuntimeError):
    """Something a developer can act on: what failed and where its log is."""


def log(message: str) -> None:
    print(f"es_node: {message}", file=sys.stderr, flush=True)


# --- artifacts -----------------------------------------------------------------------------------


def cache_root() -> Path:
    return Path(os.environ.get("ARSHIF_CACHE") or Path.home() / ".cache" / "arshif")


def distribution(version: str = VERSION) -> Path:
    """The folder holding `lib/` (server jars) and `modules/transport-netty4/` for `version`,
    downloaded with Maven on first use."""
    home = cache_root() / f"elasticsearch-{version}"
    if (home / ".complete").is_file():
        return home
    if not shutil.which("mvn"):
        raise NodeError("Maven (mvn) is needed to download Elasticsearch from Maven Central")
    started = time.monotonic()
    log(f"downloading Elasticsearch {version} from Maven Central into {home} ...")
    staging = Path(tempfile.mkdtemp(prefix=f"elasticsearch-{version}-", dir=_mkdir(home.parent)))
    try:
        (staging / "pom.xml").write_text(POM.format(version=version, module=HTTP_MODULE), encoding="utf-8")
        jars = staging / "jars"
        result = subprocess.run(
            [
                "mvn",
                "-B",
                "-q",
                "-f",
                str(staging / "pom.xml"),
                f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                f"-DoutputDirectory={jars}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise NodeError(
                f"Maven could not fetch Elasticsearch {version}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
            )
        module = _mkdir(staging / "modules" / HTTP_MODULE)
        lib = _mkdir(staging / "lib")
        for jar in sorted(jars.glob("*.jar")):
            # the HTTP module's own jar and netty go in the module's folder, everything else is the server
            into = module if jar.name.startswith((f"{HTTP_MODULE}-", "netty-")) else lib
            jar.rename(into / jar.name)
        module_jar = module / f"{HTTP_MODULE}-{version}.jar"
        (module / "plugin-descriptor.properties").write_text(_descriptor(module_jar), encoding="utf-8")
        jars.rmdir()
        (staging / ".complete").write_text(version + "\n", encoding="utf-8")
        if home.exists():
            shutil.rmtree(home)
        staging.rename(home)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    log(f"downloaded in {time.monotonic() - started:.0f} s")
    return home


def _descriptor(module_jar: Path) -> str:
    """The module's plugin-descriptor.properties, as the module jar carries it."""
    import zipfile

    with zipfile.ZipFile(module_jar) as jar:
        return jar.read(f"META-INF/es-plugins/{HTTP_MODULE}/plugin-descriptor.properties").decode("utf-8")


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- java ----------------------------------------------------------------------------------------


def java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def choose(version: str) -> tuple[str, str]:
    """(version, java): the pinned version when a Java it runs on is found, else the 8.x fallback."""
    try:
        return version, find_java(java_needed(version))
    except NodeError:
        if version != PINNED or "ARSHIF_ES_VERSION" in os.environ:
            raise
        log(f"no Java {java_needed(version)}+ for Elasticsearch {version}: running {FALLBACK} instead")
        return FALLBACK, find_java(java_needed(FALLBACK))


def find_java(needed: int) -> str:
    candidates = []
    for home in (os.environ.get("ARSHIF_ES_JAVA_HOME"), os.environ.get("JAVA_HOME")):
        if home:
            candidates.append(str(Path(home) / "bin" / "java"))
    if java := shutil.which("java"):
        candidates.append(java)
    candidates += [str(p) for p in sorted(Path("/usr/lib/jvm").glob("*/bin/java"), reverse=True)]
    seen = []
    for java in candidates:
        if java in seen or not os.access(java, os.X_OK):
            continue
        seen.append(java)
        major = java_major(java)
        if major is not None and major >= needed:
            return java
    raise NodeError(
        f"Java {needed} or newer is needed; none found (looked at "
        f"{', '.join(seen) or 'nothing'}): set ARSHIF_ES_JAVA_HOME"
    )


def java_needed(version: str) -> int:
    return 21 if int(version.split(".")[0]) >= 9 else 17


# --- one node ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def write_config(run: Path, dist: Path, http_port: int, transport_port: int) -> None:
    for name in ("lib", "modules"):
        link = run / name
        if not link.exists():
            link.symlink_to(dist / name, target_is_directory=True)
    config = _mkdir(run / "config")
    for name in ("data", "logs", "tmp"):
        _mkdir(run / name)
    settings = {
        "cluster.name": "arshif-test",
        "node.name": "arshif-test-node",
        "discovery.type": "single-node",
        "network.host": "127.0.0.1",  # loopback only
        "http.port": http_port,
        "transport.port": transport_port,
        "path.data": str(run / "data"),
        "path.logs": str(run / "logs"),
        # a test machine's disk may be nearly full: never turn indices read-only because of it
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "action.destructive_requires_name": False,
    }
    (config / "elasticsearch.yml").write_text(
        "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items()), encoding="utf-8"
    )
    (config / "log4j2.properties").write_text(LOG4J, encoding="utf-8")


def start(run: Path, *, version: str = VERSION, heap: str = HEAP, timeout: float = START_TIMEOUT) -> str:
    """Start a node whose home is `run`; wait until it is green; return its URL."""
    started = time.monotonic()
    version, java = choose(version)
    dist = distribution(version)
    http_port, transport_port = free_port(), free_port()
    _mkdir(run)
    write_config(run, dist, http_port, transport_port)
    command = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseSerialGC",
        "-Xss1m",
        "-Dfile.encoding=UTF-8",
        "-Djava.awt.headless=true",
        "-Dlog4j2.disable.jmx=true",
        f"-Djava.io.tmpdir={run / 'tmp'}",
        "-XX:-HeapDumpOnOutOfMemoryError",
        "-p",
        str(run / "lib"),
        "--add-modules",
        "ALL-MODULE-PATH",
        str(LAUNCHER),
        str(run),
    ]
    with (run / "node.log").open("ab") as out:
        process = subprocess.Popen(
            command, cwd=run, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )  # not killed with the shell that started it
    (run / "node.pid").write_text(str(process.pid), encoding="utf-8")
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise NodeError(
                f"Elasticsearch exited with code {process.returncode} while starting; "
                f"last lines of {run / 'node.log'}:\n{tail(run / 'node.log')}"
            )
        try:
            health = get_json(f"{url}/_cluster/health?wait_for_status=green&timeout=1s", timeout=5)
            if health.get("status") == "green":
                break
        except (OSError, ValueError):
            time.sleep(0.5)
        if time.monotonic() > deadline:
            stop(run, keep=True)
            raise NodeError(f"Elasticsearch was not green within {timeout:.0f} s; see {run / 'node.log'}")
    (run / "node.url").write_text(url, encoding="utf-8")
    info = describe(url)
    log(
        f"Elasticsearch {info['version']} (Java {info['java']}, heap {heap}) green at {url} "
        f"after {time.monotonic() - started:.1f} s"
    )
    return url


def describe(url: str) -> dict[str, str]:
    """Version of the node and of its JVM, from `GET /_nodes/_local` (`GET /` lives in the
    rest-root module, which is not published on Maven Central)."""
    nodes = get_json(f"{url}/_nodes/_local/jvm").get("nodes", {})
    node = next(iter(nodes.values()))
    return {"version": node.get("version", "?"), "java": node.get("jvm", {}).get("version", "?")}


def stop(run: Path, *, keep: bool = False) -> None:
    """Stop the node of `run` (SIGTERM: the node closes its indices, then the JVM exits) and, unless
    `keep`, delete `run`."""
    pid_file = run / "node.pid"
    if pid_file.is_file():
        pid = int(pid_file.read_text())
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                log(f"the node (pid {pid}) did not stop within {STOP_TIMEOUT:.0f} s: killed")
                os.kill(pid, signal.SIGKILL)
        pid_file.unlink()
    if not keep and run.exists():
        shutil.rmtree(run)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reaps our own child, if it is one
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="start a node, run a command with ARSHIF_ES_URL set, stop the node")
    p_run.add_argument("argv", nargs=argparse.REMAINDER, help="the command, after --")
    p_start = sub.add_parser("start", help="start a node in DIR and print its URL")
    p_start.add_argument("--dir", required=True, type=Path)
    p_stop = sub.add_parser("stop", help="stop the node started in DIR and delete DIR")
    p_stop.add_argument("--dir", required=True, type=Path)
    sub.add_parser("fetch", help="download the artifacts into the cache")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(distribution())
            return 0
        if args.command == "start":
            print(start(args.dir.resolve()))
            return 0
        if args.command == "stop":
            stop(args.dir.resolve())
            return 0
        command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
        if not command:
            parser.error("run needs a command after --")
        run = Path(tempfile.mkdtemp(prefix="arshif-es-"))
        try:
            url = start(run)
            env = dict(os.environ, ARSHIF_ES_URL=url)
            return subprocess.run(command, env=env).returncode
        finally:
            stop(run)
    except NodeError as error:
        log(str(error))
        return 1


if __name__ == "__main__":
    sys.exit(main())
