"""Load test of the production stack: registration POST and /me/ next to a bare Django view.

Starts `make stack` (gunicorn + Celery worker + beat, debug off, whitenoise) on a free port of
127.0.0.1 with the benchmark settings (benchmarks/load_settings.py: production settings whose
URLconf adds the bare view /_bench/bare), or uses a stack you started yourself (--url; start
it with DJANGO_SETTINGS_MODULE=benchmarks.load_settings RATELIMIT_ENABLE=0). The real pages
and the bare view are served by the same settings. For each scenario it measures

  * capacity: the requests per second that --concurrency keep-alive clients get when each
    sends its next request as soon as the last one is answered (closed loop), and
  * latency at a fixed rate: --rate requests per second, open loop (a request is due at its
    scheduled time whether or not earlier ones have finished, and its latency counts from
    then, so a stall is not hidden), p50/p95/p99,

then prints registration and /me/ capacity as a ratio of the bare view's. On Linux it also
prints, for each capacity phase, the CPU each request took by who spent it (the stack, the
database, the cache, this client, the rest of the machine: `CpuMeter`), and the same ratio by
CPU per request, which leaves out what else the machine ran. Loopback only, and bounded:
every phase stops after --duration seconds and at most --max-requests requests.

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python benchmarks/load.py --duration 10 --rate 20

Registration rate limits are switched off for the run (RATELIMIT_ENABLE=0): every request
comes from 127.0.0.1, which is exactly what they exist to stop.
"""

import argparse
import datetime as dt
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parents[1]
RESULTS = BASE_DIR / "benchmarks" / "results"
PASSWORD = "Benchmark-Passw0rd-Jakarta"  # noqa: S105 - a throwaway account on a local stack
KELURAHAN = ["31.71.01.1001", "31.71.06.1002", "31.73.02.1001", "31.74.01.1001", "31.75.03.1001"]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the stack -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_stack(
    port: int, workers: int, *, cheap_hashing: bool = False, worker_max_requests: int | None = None
) -> subprocess.Popen:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (and CELERY_BROKER_URL to Redis).")
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.exit("Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/6")
    env = dict(os.environ)
    env.update(
        {
            "WEB_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
            "RATELIMIT_ENABLE": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if cheap_hashing:
        env["BENCHMARK_CHEAP_HASHING"] = "1"
    if worker_max_requests is not None:
        env["WEB_MAX_REQUESTS"] = str(worker_max_requests)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = (RESULTS / "stack.log").open("wb")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "stack"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"make stack exited with {process.returncode}; see {RESULTS / 'stack.log'}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    stop_stack(process)
    sys.exit("the stack did not answer /healthz within 180 s")


def stop_stack(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- who spent the CPU ---------------------------------------------------------------------


class CpuMeter:
    """CPU seconds spent during a phase, by who spent them, from Linux's /proc: the stack this
    script started (`make` and every process under it: honcho, gunicorn, Celery), PostgreSQL's and
    Redis's server processes, this client, and the rest of the machine (its busy time less
    those). It says where the time went, and the CPU each request took does not count what
    else ran on the machine, which a phase's capacity does.

    A process that ends during a phase (a recycled gunicorn worker) is counted through its
    parent, which adds the time of the children it waited for; one whose parent is outside the
    classes (or has not waited for it yet) is missed, and its time shows as the rest of the
    machine."""

    CLASSES = ("web", "database", "cache", "client")
    COLUMNS = (*CLASSES, "rest")

    def __init__(self, stack_pid: int | None) -> None:
        self.stack_pid = stack_pid
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.available = Path("/proc/stat").exists()

    def _machine_busy(self) -> float:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
        return (sum(fields[:8]) - idle) / self.ticks

    def read(self) -> dict:
        """CPU seconds so far, by process (pid → (class, seconds)) and the machine's busy time."""
        found = {}  # pid → (command, parent, seconds)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            command = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            # Its own time and that of its children that ended and were waited for (a recycled
            # gunicorn worker's ends up in the master's, a PostgreSQL backend's in the postmaster's).
            seconds = sum(int(value) for value in fields[11:15]) / self.ticks
            found[int(entry.name)] = (command, int(fields[1]), seconds)
        processes = {}
        for pid, (command, _, seconds) in found.items():
            who = None
            if pid == os.getpid():
                who = "client"
            elif self._in_stack(pid, found):
                who = "web"
            elif command.startswith("postgres"):
                who = "database"
            elif command.startswith("redis"):
                who = "cache"
            if who is not None:
                processes[pid] = (who, seconds)
        return {"processes": processes, "machine": self._machine_busy(), "at": time.monotonic()}

    def _in_stack(self, pid: int, found: dict) -> bool:
        """Whether `pid` descends from the stack's first process (honcho starts its children
        in sessions of their own, so the session does not tell)."""
        while self.stack_pid is not None and pid in found and pid > 1:
            if pid == self.stack_pid:
                return True
            pid = found[pid][1]
        return False

    def spent(self, before: dict, after: dict) -> dict[str, float]:
        """Seconds of CPU between two readings, by class, and `rest` of the machine."""
        spent = dict.fromkeys(self.CLASSES, 0.0)
        for pid, (who, seconds) in after["processes"].items():
            earlier = before["processes"].get(pid)
            spent[who] += seconds - (earlier[1] if earlier and earlier[0] == who else 0.0)
        for pid, (who, seconds) in before["processes"].items():
            if pid not in after["processes"]:
                # Ended during the phase: its whole time is now in its parent's, which the loop
                # above counted from before the phase began.
                spent[who] -= seconds
        spent["rest"] = max(after["machine"] - before["machine"] - sum(spent.values()), 0.0)
        spent["wall"] = after["at"] - before["at"]
        return spent


def cpu_line(spent: dict[str, float], requests: int) -> str:
    parts = ", ".join(f"{who} {spent[who] / requests * 1000:.2f}" for who in CpuMeter.COLUMNS)
    cores = sum(spent[who] for who in CpuMeter.COLUMNS) / spent["wall"] if spent["wall"] else 0.0
    return f"(CPU ms per request: {parts}; {cores:.2f} cores busy)"


def served_cpu(spent: dict[str, float], requests: int) -> float:
    """CPU seconds per request of what serving it takes: the stack, the database, the cache and the client."""
    return sum(spent[who] for who in CpuMeter.CLASSES) / requests


# --- a tiny HTTP client --------------------------------------------------------------------


class Client:
    """One keep-alive connection with a fixed cookie jar (set once, then not updated, so a
    registration that logs its new account in does not change the next request)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: dict | None = None, keep_cookies: bool = False):
        headers = {"Host": f"{self.host}:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        if keep_cookies:
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content

    def fetch_csrf(self, path: str) -> None:
        status, content = self.request("GET", path, keep_cookies=True)
        match = CSRF_INPUT.search(content)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path} gave {status} without a CSRF token")
        self.csrf = match.group(1).decode()


# --- scenarios -----------------------------------------------------------------------------


def registration_data(rng: random.Random) -> dict:
    gender = rng.choice("LP")
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 38))
    day = birth.day + (40 if gender == "P" else 0)
    region = f"3171{rng.randrange(1, 99):02d}"
    nik = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randrange(1, 10000):04d}"
    token = uuid.uuid4().hex[:12]
    return {
        "email": f"bench-{token}@example.id",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "nik": nik,
        "full_name": f"Warga Uji {token[:6]}",
        "birth_date": birth.isoformat(),
        "gender": gender,
        "phone": f"0812{rng.randrange(10**7, 10**8)}",
        "kelurahan": rng.choice(KELURAHAN),
        "address": "Jl. Medan Merdeka Barat No. 1",
        "track": "pemula",
        "business_name": "",
        "sector": "",
        "facilities": ["P2", "P3"],
        "consent": "on",
    }


class Scenario:
    name = ""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def client(self) -> Client:
        return Client(self.host, self.port)

    def prepare(self, client: Client) -> None:
        """Per connection, before it is timed."""

    def run(self, client: Client, rng: random.Random) -> tuple[bool, str]:
        raise NotImplementedError


class Bare(Scenario):
    name = "bare view   GET /_bench/bare"

    def run(self, client, rng):
        status, _ = client.request("GET", "/_bench/bare")
        return status == 200, str(status)


class Me(Scenario):
    name = "own page    GET /me/"

    def __init__(self, host, port, cookies: dict[str, str]) -> None:
        super().__init__(host, port)
        self.cookies = cookies

    def prepare(self, client):
        client.cookies = dict(self.cookies)

    def run(self, client, rng):
        status, _ = client.request("GET", "/me/")
        return status == 200, str(status)


class Register(Scenario):
    name = "register    POST /register/"

    def prepare(self, client):
        client.fetch_csrf("/register/")

    def run(self, client, rng):
        data = registration_data(rng)
        data["csrfmiddlewaretoken"] = client.csrf
        status, _ = client.request("POST", "/register/", data)
        # 302: registered and sent on; 200: the form again (e.g. a random NIK already taken).
        return status == 302, str(status)


def entrepreneur_session(host: str, port: int) -> dict[str, str]:
    """Register one entrepreneur through the public form and sign in as them."""
    client = Client(host, port)
    client.fetch_csrf("/register/")
    data = registration_data(random.Random(secrets.randbits(32)))
    data["csrfmiddlewaretoken"] = client.csrf
    status, content = client.request("POST", "/register/", data)
    if status != 302:
        raise RuntimeError(f"registration for the /me/ scenario failed with {status}")
    login = Client(host, port)
    login.fetch_csrf("/accounts/login/")
    status, _ = login.request(
        "POST",
        "/accounts/login/",
        {"username": data["email"], "password": PASSWORD, "csrfmiddlewaretoken": login.csrf},
        keep_cookies=True,
    )
    if status != 302 or "sessionid" not in login.cookies:
        raise RuntimeError(f"login for the /me/ scenario failed with {status}")
    return login.cookies


# --- load generation -----------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def add(self, latency: float, ok: bool, status: str) -> None:
        self.latencies.append(latency)
        if ok:
            self.ok += 1
        else:
            self.failed[status] = self.failed.get(status, 0) + 1

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def closed_loop(scenario: Scenario, concurrency: int, duration: float, max_requests: int) -> Result:
    result = Result()
    lock = threading.Lock()
    budget = iter(range(max_requests))
    ready = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        client = scenario.client()
        scenario.prepare(client)
        ready.wait()
        while time.monotonic() < stop_at[0]:
            with lock:
                if next(budget, None) is None:
                    return
            started = time.monotonic()
            ok, status = scenario.run(client, rng)
            with lock:
                result.add(time.monotonic() - started, ok, status)

    threads = [threading.Thread(target=worker, args=(secrets.randbits(32),)) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + duration
    started = stop_at[0] - duration
    ready.wait()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - started
    return result


def fixed_rate(scenario: Scenario, rate: float, duration: float, concurrency: int) -> Result:
    total = int(rate * duration)
    result = Result()
    lock = threading.Lock()
    slots = iter(range(total))
    ready = threading.Barrier(concurrency + 1)
    start_at = [0.0]

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        client = scenario.client()
        scenario.prepare(client)
        ready.wait()
        origin = start_at[0]
        while True:
            with lock:
                slot = next(slots, None)
            if slot is None:
                return
            due = origin + slot / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            ok, status = scenario.run(client, rng)
            with lock:
                # Counted from when the request was due, not when a free client sent it.
                result.add(time.monotonic() - due, ok, status)

    threads = [threading.Thread(target=worker, args=(secrets.randbits(32),)) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    # Every worker reads the schedule's origin after the barrier, so it is set before.
    start_at[0] = time.monotonic() + 0.5
    ready.wait()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - start_at[0]
    return result


# The scenarios whose ratio to the bare view is printed, by class name.
RATIOS = (("Register", "registration POST"), ("Me", "/me/"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--url",
        help="a running stack (started with DJANGO_SETTINGS_MODULE=benchmarks.load_settings RATELIMIT_ENABLE=0)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers when this script starts the stack")
    parser.add_argument("--concurrency", type=int, default=8, help="simultaneous connections")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second in the fixed-rate phase")
    parser.add_argument("--max-requests", type=int, default=20000, help="cap per capacity phase")
    parser.add_argument("--only", choices=["bare", "me", "register"], action="append")
    parser.add_argument(
        "--cheap-hashing",
        action="store_true",
        help="hash passwords with MD5 (BENCHMARK_CHEAP_HASHING=1 in benchmarks/load_settings.py) to see what a "
        "registration costs besides hashing its password; never a production setting",
    )
    parser.add_argument(
        "--worker-max-requests",
        type=int,
        help="gunicorn's max_requests for this run (WEB_MAX_REQUESTS; 0 = never recycle a worker). Unset: the "
        "production setting (2,000 ± 200), under which a worker boots again every ~2 s at the bare view's "
        "rate and the boots cost the bare view more of its phase than /me/",
    )
    args = parser.parse_args()

    process = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname, parts.port or 80
        if host not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("loopback only: point --url at 127.0.0.1")
    else:
        host, port = "127.0.0.1", free_port()
        print(f"starting make stack on {host}:{port} with {args.workers} gunicorn workers ...", flush=True)
        process = start_stack(
            port, args.workers, cheap_hashing=args.cheap_hashing, worker_max_requests=args.worker_max_requests
        )
    try:
        wanted = args.only or ["bare", "me", "register"]
        scenarios = []
        if "bare" in wanted:
            scenarios.append(Bare(host, port))
        if "me" in wanted:
            scenarios.append(Me(host, port, entrepreneur_session(host, port)))
        if "register" in wanted:
            scenarios.append(Register(host, port))
        print(
            f"\n{args.concurrency} connections, {args.duration:.0f} s per phase, fixed rate {args.rate:g}/s, "
            f"{os.cpu_count()} CPU cores shared by server and client\n"
        )
        columns = ("capacity/s", "rate/s", "p50 ms", "p95 ms", "p99 ms")
        widths = (10, 10, 8, 8, 8)
        cells = " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
        header = f"{'scenario':32} {cells}  failures"
        print(header)
        print("-" * len(header))
        capacity = {}
        meter = CpuMeter(process.pid if process else None)
        cpu_per_request = {}
        for scenario in scenarios:
            before = meter.read() if meter.available else None
            loaded = closed_loop(scenario, args.concurrency, args.duration, args.max_requests)
            spent = meter.spent(before, meter.read()) if before else None
            # Latency is measured below capacity: past it, an open-loop queue only grows.
            rate = min(args.rate, round(0.7 * loaded.rps, 1)) or 1.0
            paced = fixed_rate(scenario, rate, args.duration, args.concurrency)
            capacity[scenario.__class__.__name__] = loaded.rps
            failures = {**loaded.failed}
            for status, count in paced.failed.items():
                failures[status] = failures.get(status, 0) + count
            print(
                f"{scenario.name:32} {loaded.rps:10.1f} {paced.rps:10.1f} {paced.percentile(50):8.1f} "
                f"{paced.percentile(95):8.1f} {paced.percentile(99):8.1f}  {failures or '-'}",
                flush=True,
            )
            if len(paced.latencies) > 1:
                spread = statistics.pstdev(paced.latencies) * 1000
                print(f"{'':32} (fixed-rate mean {statistics.mean(paced.latencies) * 1000:.1f} ms, sd {spread:.1f})")
            if spent and loaded.ok:
                print(f"{'':32} {cpu_line(spent, loaded.ok)}")
                cpu_per_request[scenario.__class__.__name__] = served_cpu(spent, loaded.ok)
        if "Bare" in capacity and capacity["Bare"]:
            print()
            for name, label in RATIOS:
                if name in capacity:
                    print(f"{label} capacity / bare view capacity = {capacity[name] / capacity['Bare']:.2f}")
            if process and "Bare" in cpu_per_request:
                # What the two would give on a machine of their own: the same ratio, with what
                # else ran on the machine taken out (the web processes only when this script
                # started the stack, so that they can be told apart).
                for name, label in RATIOS:
                    if cpu_per_request.get(name):
                        ratio = cpu_per_request["Bare"] / cpu_per_request[name]
                        print(f"{label} / bare view by CPU per request (stack, database, cache, client) = {ratio:.2f}")
    finally:
        if process:
            stop_stack(process)


if __name__ == "__main__":
    main()
