"""TLS relay throughput and idle memory: `danegate tunnel` against stunnel4 in client mode.

Both clients take plaintext from a source and speak TLS to the same stunnel4 server, which
hands plaintext to a sink; so the server side is identical and the ratio compares the clients.
danegate authenticates the server with a DANE-EE 3 1 1 record; stunnel verifies the chain and
the host name (verifyChain, checkHost). Not a test: prints figures, asserts nothing.

    python3 scripts/bench-tls-tunnel.py DANEGATE BYTES RUNS IDLE
"""
import os, socket, statistics, subprocess, sys, tempfile, threading, time

danegate, total, runs, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
CHUNK = 1 << 20
HOST = "bench.example"
payload = os.urandom(CHUNK)
folder = tempfile.mkdtemp(prefix="danegate-bench-tls-")
children = []


def sh(command):
    subprocess.run(command, shell=True, check=True, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def make_pki():
    sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem "
       "-subj '/CN=bench root' -days 2 -addext basicConstraints=critical,CA:TRUE")
    sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr "
       f"-subj '/CN={HOST}'")
    with open(os.path.join(folder, "leaf.ext"), "w") as ext:
        ext.write(f"subjectAltName=DNS:{HOST}\nextendedKeyUsage=serverAuth\n")
    sh("openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -set_serial 7 -days 2 -extfile leaf.ext -out leaf.pem")
    digest = subprocess.run(
        "openssl x509 -in leaf.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r",
        shell=True, check=True, cwd=folder, capture_output=True, text=True).stdout.split()[0]
    return digest


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def wait_for_port(port, process):
    deadline = time.time() + 15
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench-tls: {process.args[0]} exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    sys.exit(f"bench-tls: nothing listens on {port}")


def start_stunnel(name, body):
    path = os.path.join(folder, f"{name}.conf")
    with open(path, "w") as conf:
        conf.write(f"foreground = yes\npid =\ndebug = 3\nsyslog = no\n{body}")
    process = subprocess.Popen(["stunnel4", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children.append(process)
    return process


def start_danegate_tunnel(server_port, digest):
    process = subprocess.Popen(
        [danegate, "tunnel", "--accept", "127.0.0.1:0", "--connect", f"127.0.0.1:{server_port}",
         "--host", HOST, "--tlsa", f"3 1 1 {digest}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    children.append(process)
    line = process.stdout.readline().split()
    if len(line) != 2 or line[0] != "LISTEN":
        sys.exit(f"bench-tls: unexpected danegate output {line!r}")
    return process, int(line[1].rsplit(":", 1)[1])


def start_stunnel_client(server_port):
    port = free_port()
    process = start_stunnel("client", f"client = yes\n[bench]\naccept = 127.0.0.1:{port}\n"
                                      f"connect = 127.0.0.1:{server_port}\nverifyChain = yes\n"
                                      f"CAfile = {folder}/root.pem\ncheckHost = {HOST}\nsni = {HOST}\n")
    wait_for_port(port, process)
    return process, port


def resident_kib(pid, key="VmRSS:"):
    with open(f"/proc/{pid}/status") as status:
        return int(next(l for l in status if l.startswith(key)).split()[1])


class Sink:
    """Accepts connections; each is read to its end, the byte count and end time kept."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4096)
        self.port = self.server.getsockname()[1]
        self.results = []
        self.held = []
        self.hold = False
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            if self.hold:
                self.held.append(conn)
            else:
                threading.Thread(target=self.drain, args=(conn,), daemon=True).start()

    def drain(self, conn):
        received, view = 0, memoryview(bytearray(CHUNK))
        while True:
            n = conn.recv_into(view)
            if n == 0:
                break
            received += n
        self.results.append((received, time.perf_counter()))
        conn.close()


def throughput(port, sink):
    sink.results.clear()
    client = socket.create_connection(("127.0.0.1", port))
    start = time.perf_counter()
    sent = 0
    while sent < total:
        client.sendall(payload)
        sent += CHUNK
    client.shutdown(socket.SHUT_WR)
    # Other connections (the readiness probes) may end at the sink too: wait for this one.
    deadline = time.time() + 120
    while time.time() < deadline:
        finished = [end for received, end in sink.results if received == sent]
        if finished:
            client.close()
            return sent / (finished[0] - start) / (1 << 20)
        time.sleep(0.005)
    sys.exit(f"bench-tls: the sink never got all {sent} bytes (got {sink.results})")


def idle_rss(process, port, sink):
    """RSS of `process` before and after `idle` connections are open through it (KiB)."""
    sink.hold = True
    clients = []
    before = resident_kib(process.pid)
    for _ in range(idle):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"x")
        clients.append(client)
    deadline = time.time() + 60
    while len(sink.held) < idle and time.time() < deadline:
        time.sleep(0.01)
    after = resident_kib(process.pid)
    opened = len(sink.held)
    for s in clients + sink.held:
        s.close()
    sink.held.clear()
    sink.hold = False
    return before, after, opened


try:
    digest = make_pki()
    sink = Sink()
    server_port = free_port()
    server = start_stunnel("server", f"[bench]\naccept = 127.0.0.1:{server_port}\nconnect = 127.0.0.1:{sink.port}\n"
                                     f"cert = {folder}/leaf.pem\nkey = {folder}/leaf.key\n")
    wait_for_port(server_port, server)
    ours, our_port = start_danegate_tunnel(server_port, digest)
    theirs, their_port = start_stunnel_client(server_port)

    ours_rates, theirs_rates = [], []
    for _ in range(runs):  # interleaved so both see the same machine load
        ours_rates.append(throughput(our_port, sink))
        theirs_rates.append(throughput(their_port, sink))
    ours_median, theirs_median = statistics.median(ours_rates), statistics.median(theirs_rates)
    print(f"payload per run             : {total / (1 << 30):g} GiB, {runs} runs each, interleaved, median shown")
    print(f"danegate tunnel (DANE 3 1 1): {ours_median:8.0f} MiB/s  (runs: {', '.join('%.0f' % r for r in ours_rates)})")
    print(f"stunnel4 client (PKIX)      : {theirs_median:8.0f} MiB/s  (runs: {', '.join('%.0f' % r for r in theirs_rates)})")
    print(f"ratio danegate / stunnel    : {ours_median / theirs_median:8.2f}")

    b1, a1, n1 = idle_rss(ours, our_port, sink)
    b2, a2, n2 = idle_rss(theirs, their_port, sink)
    print(f"idle TLS connections        : {idle} opened ({n1} and {n2} reached the sink)")
    print(f"danegate tunnel RSS         : {b1} KiB -> {a1} KiB, {(a1 - b1) / idle:.1f} KiB per connection")
    print(f"stunnel4 client RSS         : {b2} KiB -> {a2} KiB, {(a2 - b2) / idle:.1f} KiB per connection")
finally:
    for child in children:
        child.kill()
        child.wait()
    subprocess.run(["rm", "-rf", folder])
