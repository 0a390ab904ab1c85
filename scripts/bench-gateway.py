"""danegate against stunnel4 in front of the same nginx: the measurements behind scripts/bench.

Three ways to the same nginx, measured interleaved in each round:
  direct   — the client speaks HTTPS to nginx itself (the ceiling);
  stunnel  — plain HTTP to stunnel4 in client mode, which verifies chain and host name (PKIX);
  danegate — plain HTTP to danegate (protocol = tls, dane = require, audit log on), which
             verifies the certificate against a DNSSEC-validated TLSA record served by danezone.
nginx listens twice: "resumed" (session tickets on, nginx's default) and "full" (tickets and
cache off, so every upstream handshake is a full one). Not a test: prints figures, asserts
nothing. Every child is killed by PID when this ends, also on SIGINT/SIGTERM.
"""
import argparse, csv, os, re, resource, selectors, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--duration", type=int, default=5)
parser.add_argument("--idle", default="1000,10000")
parser.add_argument("--out", default=".")
args = parser.parse_args()

DANEGATE = os.path.abspath(os.path.join(args.bin, "danegate"))
DANEZONE = os.path.abspath(os.path.join(args.bin, "danezone"))
HOST = "www.example"
BULK_BYTES = 100 << 20
SMALL = b"x" * 100  # the keep-alive and new-connection page: 100 bytes, so the costs are per request
TARGETS = ["direct", "stunnel", "danegate"]
PROXIES = ["stunnel", "danegate"]
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") / 1024

work = tempfile.mkdtemp(prefix="danegate-bench-")
children = []


def stop_children():
    for child in reversed(children):
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()
    children.clear()
    shutil.rmtree(work, ignore_errors=True)


def interrupted(signum, _frame):
    stop_children()
    sys.exit(128 + signum)


signal.signal(signal.SIGINT, interrupted)
signal.signal(signal.SIGTERM, interrupted)


def run(command, **options):
    return subprocess.run(command, cwd=work, check=True, capture_output=True, text=True, **options).stdout


def start(name, command, ready):
    """Starts a child with its output in WORK/NAME.out; waits (at most 20 s) until ready() is true."""
    out = open(os.path.join(work, name + ".out"), "w")
    child = subprocess.Popen(command, cwd=work, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    children.append(child)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if child.poll() is not None:
            break
        if ready():
            return child
        time.sleep(0.05)
    sys.exit(f"bench: {name} did not start:\n" + open(os.path.join(work, name + ".out")).read())


def output_of(name):
    return open(os.path.join(work, name + ".out")).read()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def write(name, text):
    with open(os.path.join(work, name), "w") as f:
        f.write(text)


# ---------------------------------------------------------------- set up
def make_pki():
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=danegate bench CA", "-days", "2",
         "-addext", "basicConstraints=critical,CA:TRUE"])
    run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", "www.key", "-out", "www.csr", "-subj", f"/CN={HOST}"])
    write("www.ext", f"subjectAltName=DNS:{HOST}\n")
    run(["openssl", "x509", "-req", "-in", "www.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "7",
         "-days", "2", "-extfile", "www.ext", "-out", "www.pem"])
    write("www-chain.pem", open(os.path.join(work, "www.pem")).read() + open(os.path.join(work, "ca.pem")).read())
    pubkey = run(["openssl", "x509", "-in", "www.pem", "-noout", "-pubkey"])
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pubkey.encode(),
                         capture_output=True, check=True).stdout
    import hashlib
    return "3 1 1 " + hashlib.sha256(der).hexdigest()


def start_nginx(ports):
    os.makedirs(os.path.join(work, "site"))
    write("site/small", SMALL.decode())
    with open(os.path.join(work, "site/big"), "wb") as f:
        f.write(os.urandom(1 << 20) * (BULK_BYTES >> 20))
    # One worker: on 2 cores the client, the proxy and nginx share the machine; the same for all three.
    servers = ""
    for name, port in ports.items():
        cache = "" if name == "resumed" else "ssl_session_tickets off; ssl_session_cache off;"
        servers += f"""
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {work}/www-chain.pem; ssl_certificate_key {work}/www.key;
    {cache}
    root {work}/site;
  }}"""
    write("nginx.conf", f"""
daemon off; master_process off; worker_processes 1; pid {work}/nginx.pid;
worker_rlimit_nofile 40000; error_log {work}/nginx-error.log warn;
events {{ worker_connections 30000; }}
http {{
  access_log off; sendfile on; keepalive_requests 100000000; keepalive_timeout 600s;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  {servers}
}}
""")
    os.makedirs(os.path.join(work, "tmp"))
    return start("nginx", ["nginx", "-p", work, "-e", f"{work}/nginx-error.log", "-c", f"{work}/nginx.conf"],
                 lambda: all(listening(p) for p in ports.values()))


def start_danezone(tlsa, ports):
    root_key = run([DANEZONE, "keygen", "--algorithm", "13", "--ksk", "--dir", work, "."]).split()[-1]
    child_key = run([DANEZONE, "keygen", "--algorithm", "13", "--ksk", "--dir", work, "example."]).split()[-1]
    zone = ("$ORIGIN example.\n$TTL 3600\n@ SOA ns.example. hostmaster.example. 1 3600 600 86400 300\n"
            "@ NS ns.example.\nns A 127.0.0.1\nwww A 127.0.0.1\n")
    zone += "".join(f"_{port}._tcp.www TLSA {tlsa}\n" for port in ports.values())
    write("example.zone", zone)
    run([DANEZONE, "sign", "--zone", "example.zone", "--key", f"{work}/{child_key}"])
    ds = run([DANEZONE, "ds", f"{work}/{child_key}.key"])
    write("root.zone", "$ORIGIN .\n$TTL 3600\n. SOA a.root. hostmaster.root. 1 3600 600 86400 300\n"
          ". NS a.root.\na.root. A 127.0.0.1\nexample. NS ns.example.\nns.example. A 127.0.0.1\n" + ds)
    run([DANEZONE, "sign", "--zone", "root.zone", "--key", f"{work}/{root_key}"])
    child = start("danezone", [DANEZONE, "serve", "--zone", "root.zone.signed:.", "--zone", "example.zone.signed:example.",
                       "--listen", "127.0.0.1:0", "--threads", "1"], lambda: "LISTEN udp" in output_of("danezone"))
    dns_port = re.search(r"LISTEN udp 127\.0\.0\.1:(\d+)", output_of("danezone")).group(1)
    return child, f"127.0.0.1:{dns_port}", f"{work}/{root_key}.key"


def start_danegate(resolver, anchor, ports):
    config = (f"resolver = {resolver}\ntrust-anchor = {anchor}\naudit-log = {work}/audit.log\n"
              "log-level = warning\n")
    for name, port in ports.items():
        config += (f"\n[{name}]\naccept = 127.0.0.1:0\nconnect = {HOST}:{port}\nprotocol = tls\ndane = require\n"
                   "max-connections = 1000000\nidle-timeout = 10m\n")
    write("danegate.conf", config)
    child = start("danegate", [DANEGATE, "--config", f"{work}/danegate.conf"],
                  lambda: all(f"LISTEN {name} " in output_of("danegate") for name in ports))
    return child, {name: int(re.search(rf"LISTEN {name} 127\.0\.0\.1:(\d+)", output_of("danegate")).group(1))
                   for name in ports}


def start_stunnel(ports, local=None):
    local = local or {name: free_port() for name in ports}
    config = f"foreground = yes\npid =\ndebug = 3\noutput = {work}/stunnel.log\n"
    for name, port in ports.items():
        config += (f"\n[{name}]\nclient = yes\naccept = 127.0.0.1:{local[name]}\nconnect = 127.0.0.1:{port}\n"
                   f"sni = {HOST}\nverifyChain = yes\nCAfile = {work}/ca.pem\ncheckHost = {HOST}\n")
    write("stunnel.conf", config)
    child = start("stunnel", ["stunnel4", f"{work}/stunnel.conf"], lambda: all(listening(p) for p in local.values()))
    return child, local


# ---------------------------------------------------------------- measuring
def stop(child):
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    children.remove(child)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (proc(5)), all threads


def rss_kib(pid):
    return int(open(f"/proc/{pid}/statm").read().split()[1]) * PAGE_KIB


def wrk(url, connections, seconds, close=False):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    if close:
        command += ["-H", "Connection: close"]
    out = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    problems = (errors.group(1) if errors else "") + (f" non-2xx {non2xx.group(1)}" if non2xx else "")
    return rate, requests, problems.strip()


def curl_bulk(url, parallel):
    """MB/s (10^6 bytes) of PARALLEL simultaneous downloads of the 100 MiB file, wall clock."""
    command = ["curl", "-sS", "-k", "--max-time", "120", "-o", "/dev/null", "-w", "%{size_download}\n", url]
    started = time.perf_counter()
    downloads = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(parallel)]
    sizes = [int(d.communicate()[0].strip() or 0) for d in downloads]
    elapsed = time.perf_counter() - started
    if any(size != BULK_BYTES for size in sizes):
        print(f"bench: a bulk download through {url} was short: {sizes}", file=sys.stderr)
    return sum(sizes) / elapsed / 1e6


def hold_idle(port, count, pid):
    """Opens COUNT connections, one request on each (so every upstream TLS session is set up),
    holds them idle; returns (KiB of RSS per connection, peak RSS MiB, RSS after close MiB, errors)."""
    before = rss_kib(pid)
    request = f"GET /small HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    sockets, errors, done = [], 0, 0
    deadline = time.monotonic() + 120
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(request)
            s.setblocking(False)
            sockets.append(s)
            selector.register(s, selectors.EVENT_READ, bytearray())
        except OSError:
            errors += 1
        # Read whatever has come back meanwhile, so that no side's buffers fill up.
        for key, _ in selector.select(0):
            done += read_response(selector, key)
    while done + errors < count and time.monotonic() < deadline:
        events = selector.select(1)
        for key, _ in events:
            done += read_response(selector, key)
    errors = count - done
    time.sleep(0.5)
    held = rss_kib(pid)
    for s in sockets:
        s.close()
    selector.close()
    time.sleep(2)  # the proxy sees the closes and frees the connections
    after = rss_kib(pid)
    return (held - before) / count, held / 1024, after / 1024, errors


def warm_up(url):
    subprocess.run(["curl", "-sSk", "-o", "/dev/null", "--max-time", "10", url], check=True)


def read_response(selector, key):
    try:
        data = key.fileobj.recv(65536)
    except BlockingIOError:
        return 0
    except OSError:
        data = b""
    key.data.extend(data)
    if key.data.endswith(SMALL):
        selector.unregister(key.fileobj)
        return 1
    if not data:
        selector.unregister(key.fileobj)
    return 0


# ---------------------------------------------------------------- the run
def main():
    idle_counts = [int(n) for n in args.idle.split(",") if n]
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    # A proxy holds two descriptors per connection (client and upstream) plus its own few.
    fitting = (limit - 200) // 2
    idle_counts = sorted({min(n, fitting) for n in idle_counts})
    global wanted_idle
    wanted_idle = max(int(n) for n in args.idle.split(",") if n)
    load_before = os.getloadavg()
    started = time.time()

    tlsa = make_pki()
    upstream = {"resumed": free_port(), "full": free_port()}
    nginx = start_nginx(upstream)
    danezone, resolver, anchor = start_danezone(tlsa, upstream)
    danegate, gate_ports = start_danegate(resolver, anchor, upstream)
    stunnel, tunnel_ports = start_stunnel(upstream)
    pids = {"stunnel": stunnel.pid, "danegate": danegate.pid}
    audit_records = 0

    def url(target, kind, path):
        if target == "direct":
            return f"https://127.0.0.1:{upstream[kind]}/{path}"
        ports = gate_ports if target == "danegate" else tunnel_ports
        return f"http://127.0.0.1:{ports[kind]}/{path}"

    for target in TARGETS:  # each answers once before measuring (danegate's first TLSA lookup, caches)
        for kind in upstream:
            warm_up(url(target, kind, "small"))

    rows = []  # (round, measure, target, connections, value, unit, note)

    def record(round_, measure, target, connections, value, unit, note=""):
        rows.append((round_, measure, target, connections, value, unit, note))

    def measured_wrk(round_, measure, target, kind, connections, close):
        pid = pids.get(target)
        cpu = cpu_seconds(pid) if pid else 0
        dns_cpu = cpu_seconds(danezone.pid)
        rate, requests, problems = wrk(url(target, kind, "small"), connections, args.duration, close)
        record(round_, measure, target, connections, rate, "per s", problems)
        if pid and requests:
            record(round_, measure + " cpu", target, connections, (cpu_seconds(pid) - cpu) / requests * 1e3, "ms")
        if target == "danegate" and requests:  # does each connection cost danezone a lookup, or a cache hit?
            record(round_, measure + " danezone cpu", target, connections,
                   (cpu_seconds(danezone.pid) - dns_cpu) / requests * 1e3, "ms")
        print(f"   {measure:<24} {target:<9} -c{connections:<5} {rate:>10.0f}/s {problems}", flush=True)

    for round_ in range(1, args.rounds + 1):
        print(f"== round {round_} of {args.rounds}", flush=True)
        order = TARGETS[round_ % 3:] + TARGETS[:round_ % 3]  # who goes first changes each round
        for target in order:
            measured_wrk(round_, "keep-alive", target, "resumed", 64, False)
        for target in order:
            measured_wrk(round_, "new full handshake", target, "full", 64, True)
        for target in order:
            measured_wrk(round_, "new resumption allowed", target, "resumed", 64, True)
        for parallel in (1, 8):
            for target in order:
                rate = curl_bulk(url(target, "resumed", "big"), parallel)
                record(round_, f"bulk x{parallel}", target, parallel, rate, "MB/s")
                print(f"   {'bulk x%d' % parallel:<24} {target:<9} {rate:>10.0f} MB/s", flush=True)

    print("== keep-alive requests/s against connections (one run each)", flush=True)
    for connections in (8, 256, 1024):
        for target in TARGETS:
            measured_wrk(0, "keep-alive", target, "resumed", connections, False)

    print("== RSS per idle connection (each count on freshly started proxies)", flush=True)
    for count in idle_counts:
        # Fresh processes: an allocator keeps what the load above took, which would hide the cost.
        audit_records += sum(1 for _ in open(os.path.join(work, "audit.log")))
        os.rename(os.path.join(work, "audit.log"), os.path.join(work, f"audit-{count}.log"))
        stop(danegate)
        stop(stunnel)
        danegate, gate_ports = start_danegate(resolver, anchor, upstream)
        stunnel, tunnel_ports = start_stunnel(upstream, tunnel_ports)
        pids = {"stunnel": stunnel.pid, "danegate": danegate.pid}
        for target in PROXIES:
            warm_up(url(target, "resumed", "small"))
        for target in PROXIES:
            ports = gate_ports if target == "danegate" else tunnel_ports
            per, peak, after, errors = hold_idle(ports["resumed"], count, pids[target])
            record(0, "rss per idle connection", target, count, per, "KiB", f"errors {errors}")
            record(0, "rss held", target, count, peak, "MiB")
            record(0, "rss after close", target, count, after, "MiB")
            print(f"   {target:<9} {count:>6} held: {per:6.1f} KiB each, RSS {peak:.1f} MiB, "
                  f"{after:.1f} MiB after closing, {errors} errors", flush=True)

    audit_records += sum(1 for _ in open(os.path.join(work, "audit.log")))
    elapsed = time.time() - started
    load_after = os.getloadavg()
    stop_children()
    report(rows, load_before, load_after, elapsed, audit_records)


# ---------------------------------------------------------------- the table
def median(rows, measure, target, connections=None):
    values = [r[4] for r in rows if r[1] == measure and r[2] == target and (connections is None or r[3] == connections)]
    return statistics.median(values) if values else None


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "—"


def number(value, digits=0):
    return "—" if value is None else f"{value:,.{digits}f}"


def report(rows, load_before, load_after, elapsed, audit_records):
    out = os.path.abspath(args.out)
    results = os.path.join(out, "Benchmarks", "results")
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "bench.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["round", "measure", "target", "connections", "value", "unit", "note"])
        writer.writerows(rows)

    lines = ["| measure | direct HTTPS | stunnel | danegate | danegate / stunnel | stunnel / direct | danegate / direct |",
             "|---|---|---|---|---|---|---|"]
    medians = {}
    for measure, label, unit, connections, digits in [
        ("keep-alive", "keep-alive requests/s (wrk -c64)", "", 64, 0),
        ("new full handshake", "new connections/s, full upstream handshake", "", 64, 0),
        ("new resumption allowed", "new connections/s, resumption allowed", "", 64, 0),
        ("bulk x1", "bulk MB/s, 100 MiB over 1 connection", "", 1, 0),
        ("bulk x8", "bulk MB/s, 100 MiB over 8 at once", "", 8, 0),
    ]:
        d, s, g = (median([r for r in rows if r[0] > 0], measure, t, connections) for t in TARGETS)
        medians[measure] = (d, s, g)
        lines.append(f"| {label} | {number(d, digits)} | {number(s, digits)} | {number(g, digits)} | {ratio(g, s)} "
                     f"| {ratio(s, d)} | {ratio(g, d)} |")
    for measure, label in [("keep-alive cpu", "proxy CPU ms per keep-alive request"),
                           ("new full handshake cpu", "proxy CPU ms per new connection, full handshake"),
                           ("new resumption allowed cpu", "proxy CPU ms per new connection, resumption allowed")]:
        s, g = (median([r for r in rows if r[0] > 0], measure, t, 64) for t in PROXIES)
        medians[measure] = (None, s, g)
        lines.append(f"| {label} | — | {number(s, 3)} | {number(g, 3)} | {ratio(g, s)} | | |")
    dns = median([r for r in rows if r[0] > 0], "new full handshake danezone cpu", "danegate", 64)
    lines.append(f"| danezone CPU ms per danegate new connection (its TLSA lookups) | — | — | {number(dns, 3)} | | | |")
    counts = sorted({r[3] for r in rows if r[1] == "rss per idle connection"})
    for count in counts:
        s, g = (median(rows, "rss per idle connection", t, count) for t in PROXIES)
        errs = [next((r[6] for r in rows if r[1] == "rss per idle connection" and r[2] == t and r[3] == count), "")
                for t in PROXIES]
        medians[f"rss {count}"] = (None, s, g)
        lines.append(f"| RSS KiB per idle connection, {count:,} held ({errs[0]} / {errs[1]}) | — | {number(s, 1)} "
                     f"| {number(g, 1)} | {ratio(g, s)} | | |")
        hs, hg = (median(rows, "rss held", t, count) for t in PROXIES)
        as_, ag = (median(rows, "rss after close", t, count) for t in PROXIES)
        lines.append(f"| RSS MiB with {count:,} held / after they closed | — | {number(hs, 1)} / {number(as_, 1)} "
                     f"| {number(hg, 1)} / {number(ag, 1)} | | | |")
    table = "\n".join(lines)
    print()
    print(table)

    plot(rows, os.path.join(results, "bench.png"))
    targets = verdicts(medians, rows)
    print()
    print("\n".join(targets))
    load = lambda l: ", ".join(f"{x:.2f}" for x in l)
    text = f"""# Benchmarks: danegate against stunnel4

Written by `scripts/bench` (do not edit above the notes marker: the next run replaces it). Run
{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.rounds} round(s) of {args.duration} s wrk runs, medians,
the three ways interleaved in each round (who goes first rotates); {elapsed:.0f} s in all. Machine: {os.cpu_count()} cores,
load average {load(load_before)} before and {load(load_after)} after (1, 5, 15 min). danegate: `protocol = tls`,
`dane = require`, audit log on ({audit_records:,} records written), DNSSEC validated in process against
danezone. stunnel {stunnel_version()}: client mode, `verifyChain`, `CAfile`, `checkHost`. nginx: one worker; the
"full" listener has `ssl_session_tickets off; ssl_session_cache off;`. Page: 100 bytes. Clients: wrk -t2
(plain HTTP to the proxies, HTTPS to nginx), curl for bulk, a Python client holding idle connections (one request
each, then idle). Raw figures: [Benchmarks/results/bench.csv](Benchmarks/results/bench.csv).

{table}

![keep-alive requests/s and RSS per connection against connections](Benchmarks/results/bench.png)

## Issue 14's targets in this run

{chr(10).join(targets)}
"""
    marker = "<!-- notes: kept by scripts/bench -->"
    path = os.path.join(out, "BENCHMARKS.md")
    notes = marker + "\n\n## Notes\n"
    if os.path.exists(path) and marker in open(path).read():
        notes = marker + open(path).read().split(marker, 1)[1]
    with open(path, "w") as f:
        f.write(text + "\n" + notes)
    print(f"\nbench: wrote {path}, {results}/bench.csv and bench.png")


def verdicts(medians, rows):
    out = []

    def check(label, value, target, higher=True, unit="x"):
        if value is None:
            out.append(f"- {label}: not measured")
            return
        met = value >= target if higher else value <= target
        if met:
            out.append(f"- {label}: **met**, {value:.2f}{unit} (target {'≥' if higher else '≤'} {target}{unit})")
        else:
            gap = (target / value if higher else value / target) if value else float("inf")
            out.append(f"- {label}: **missed**, {value:.2f}{unit} against {'≥' if higher else '≤'} {target}{unit} "
                       f"({gap:.2f}x short)")

    r = lambda m, i, j: (medians[m][i] / medians[m][j]) if medians[m][i] and medians[m][j] else None
    check("keep-alive ≥ 2x stunnel", r("keep-alive", 2, 1), 2)
    check("keep-alive ≥ 0.9x direct HTTPS", r("keep-alive", 2, 0), 0.9)
    check("new connections, full handshake ≥ 2x stunnel", r("new full handshake", 2, 1), 2)
    check("new connections, resumption ≥ 2x stunnel", r("new resumption allowed", 2, 1), 2)
    for n in (1, 8):
        check(f"bulk over {n} ≥ 1.5x stunnel", r(f"bulk x{n}", 2, 1), 1.5)
        check(f"bulk over {n} ≥ 0.9x direct HTTPS", r(f"bulk x{n}", 2, 0), 0.9)
    check("proxy CPU per new connection (full) ≤ 0.5 ms", medians["new full handshake cpu"][2], 0.5, False, " ms")
    rss = sorted((k for k in medians if k.startswith("rss ")), key=lambda k: int(k.split()[1]))
    for key in rss:
        check(f"memory per idle connection ≤ 16 KiB ({int(key.split()[1]):,} held)", medians[key][2], 16, False, " KiB")
    if rss:
        count = int(rss[-1].split()[1])
        note = next(r[6] for r in rows if r[1] == "rss per idle connection" and r[2] == "danegate" and r[3] == count)
        if wanted_idle < 10000:
            out.append(f"- 10,000 concurrent connections without an error: not measured (at most {wanted_idle:,} asked)")
        else:
            held = "missed" if note != "errors 0" else "met" if count >= 10000 else "not reached"
            out.append(f"- 10,000 concurrent connections without an error: **{held}**: {count:,} held, {note}"
                       + ("" if count >= 10000 else " (the descriptor limit here, "
                          f"{resource.getrlimit(resource.RLIMIT_NOFILE)[1]:,}, allows two per connection "
                          "for at most that many)"))
    return out


def stunnel_version():
    out = subprocess.run(["stunnel4", "-version"], capture_output=True, text=True)
    found = re.search(r"stunnel (\S+)", out.stdout + out.stderr)
    return found.group(1) if found else "?"


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for target, style in [("direct", "k:o"), ("stunnel", "b-s"), ("danegate", "r-^")]:
        points = sorted({r[3] for r in rows if r[1] == "keep-alive" and r[2] == target})
        values = [median(rows, "keep-alive", target, c) for c in points]
        left.plot(points, values, style, label=target)
        if target != "direct":
            counts = sorted({r[3] for r in rows if r[1] == "rss per idle connection" and r[2] == target})
            right.plot(counts, [median(rows, "rss per idle connection", target, c) for c in counts], style, label=target)
    left.set(xscale="log", xlabel="connections (wrk -c)", ylabel="keep-alive requests/s", title="requests per second")
    right.set(xscale="log", xlabel="idle connections held", ylabel="KiB RSS per connection",
              title="memory per idle connection")
    right.axhline(16, color="gray", linestyle="--", linewidth=0.8, label="target 16 KiB")
    for axes in (left, right):
        axes.grid(True, alpha=0.3)
        axes.legend()
        axes.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


try:
    main()
finally:
    stop_children()
