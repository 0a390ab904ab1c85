import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Waits until something accepts TCP connections on 127.0.0.1:`port` (polling, no fixed sleep).
func waitForListener(port: UInt16, timeout: TimeInterval = 20, peer: PeerProcess? = nil) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { break }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return }
        usleep(20_000)  // polling interval, not a readiness guess
    }
    throw TestSupportError(.timedOut, "nothing listens on 127.0.0.1:\(port)\n\(peer?.transcript ?? "")")
}

/// nginx serving HTTPS on 127.0.0.1 with a given chain, full handshakes only (PEERS.md).
final class NginxServer {
    let peer: PeerProcess
    let port: UInt16

    init(chain: String, key: String, serverName: String, folder: TemporaryDirectory) throws {
        _ = try requireProgram("nginx", package: "nginx")
        port = try freeLoopbackPort()
        let root = folder.file("nginx")
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        try folder.write("nginx/nginx.conf", """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(root)/nginx.pid;
            error_log stderr notice;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(root)/tmp/body;
                proxy_temp_path \(root)/tmp/proxy;
                fastcgi_temp_path \(root)/tmp/fastcgi;
                uwsgi_temp_path \(root)/tmp/uwsgi;
                scgi_temp_path \(root)/tmp/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    server_name \(serverName);
                    ssl_certificate \(chain);
                    ssl_certificate_key \(key);
                    ssl_session_tickets off;
                    ssl_session_cache off;
                    location / { return 200 "hello from nginx\\n"; }
                }
            }

            """)
        peer = try PeerProcess("nginx", ["-p", root, "-c", root + "/nginx.conf", "-e", "stderr"], package: "nginx")
        try waitForListener(port: port, peer: peer)
    }

    deinit {
        peer.kill()
    }
}

/// Gives `path` to `user` (servers that drop privileges re-read their files as that user).
func giveToUser(_ path: String, _ user: String) throws {
    try run("chown", ["-R", user, path]).check("chown \(user) \(path)")
}

/// Postfix as a test MTA (PEERS.md): smtpd on 127.0.0.1 with STARTTLS, run in the foreground
/// from a configuration and queue of the test's own.
final class PostfixServer {
    let peer: PeerProcess
    let port: UInt16
    let folder: TemporaryDirectory

    /// `mainExtra` (given the server's folder) and `masterExtra` add lines to main.cf and
    /// master.cf (delivery, for example).
    init(
        chain: String, key: String, hostName: String, mainExtra: (String) -> String = { _ in "" }, masterExtra: String = ""
    ) throws {
        _ = try requireProgram("postfix", package: "postfix")
        folder = try TemporaryDirectory(prefix: "danegate-h9-postfix")
        port = try freeLoopbackPort()
        let root = folder.path
        try run("chmod", ["755", root]).check("chmod")
        for sub in ["etc", "queue", "data", "mail"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(sub)", withIntermediateDirectories: true)
        }
        try giveToUser("\(root)/data", "postfix")
        try giveToUser("\(root)/mail", "postfix")
        try folder.write("etc/main.cf", """
            compatibility_level = 3.6
            queue_directory = \(root)/queue
            data_directory = \(root)/data
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = \(hostName)
            mydestination =
            mynetworks = 127.0.0.0/8
            local_recipient_maps =
            alias_maps =
            alias_database =
            smtpd_relay_restrictions = permit_mynetworks, reject
            smtpd_tls_chain_files = \(key), \(chain)
            smtpd_tls_security_level = may
            maillog_file = \(root)/maillog
            maillog_file_prefixes = \(root)
            \(mainExtra(root))

            """)
        try folder.write("etc/master.cf", """
            127.0.0.1:\(port) inet n - n - - smtpd
            postlog   unix-dgram n  -       n       -       1       postlogd
            proxymap  unix  -       -       n       -       -       proxymap
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            anvil     unix  -       -       n       -       1       anvil
            \(masterExtra)

            """)
        peer = try PeerProcess("postfix", ["-c", "\(root)/etc", "start-fg"], package: "postfix")
        try waitForListener(port: port, peer: peer)
    }

    deinit {
        stop()
    }

    /// Kills the master (start-fg runs it under postfix-script, so its pid comes from its pid
    /// file), the services it started (their pids from /proc: children of the master), and the
    /// wrapper.
    func stop() {
        if let text = try? String(contentsOfFile: folder.file("queue/pid/master.pid"), encoding: .utf8),
            let master = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            let children = Self.children(of: master)
            kill(master, SIGKILL)
            for child in children { kill(child, SIGKILL) }
        }
        peer.kill()
    }

    /// The pids whose parent is `parent`, from /proc/<pid>/stat.
    static func children(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent ? pid : nil
        }
    }
}

/// ngircd with TLS on its own port (RFC 7194 direct TLS; ngircd has no IRC STARTTLS).
final class NgircdServer {
    let peer: PeerProcess
    let port: UInt16
    let folder: TemporaryDirectory

    init(chain: String, key: String) throws {
        _ = try requireProgram("ngircd", package: "ngircd")
        folder = try TemporaryDirectory(prefix: "danegate-h9-ngircd")
        try run("chmod", ["755", folder.path]).check("chmod")
        let plainPort = try freeLoopbackPort()
        port = try freeLoopbackPort()
        // ngircd re-reads its key as user irc (PEERS.md): its own copies, owned by irc.
        try FileManager.default.copyItem(atPath: chain, toPath: folder.file("chain.pem"))
        try FileManager.default.copyItem(atPath: key, toPath: folder.file("key.pem"))
        try giveToUser(folder.file("chain.pem"), "irc")
        try giveToUser(folder.file("key.pem"), "irc")
        try folder.write("ngircd.conf", """
            [Global]
            Name = irc.dane.test
            Info = danegate test
            Listen = 127.0.0.1
            Ports = \(plainPort)
            PidFile = \(folder.file("ngircd.pid"))
            ServerUID = irc
            ServerGID = irc
            [Options]
            PAM = no
            Ident = no
            DNS = no
            [SSL]
            CertFile = \(folder.file("chain.pem"))
            KeyFile = \(folder.file("key.pem"))
            Ports = \(port)

            """)
        peer = try PeerProcess("ngircd", ["-n", "-f", folder.file("ngircd.conf")], package: "ngircd")
        try peer.waitForLine(containing: "ready", timeout: 30)
    }

    deinit {
        peer.kill()
    }
}

/// prosody (XMPP with STARTTLS) for `domains`, run as user prosody (it refuses root) with its
/// own copy of the key (PEERS.md). setpriv execs prosody in place, so its pid is the peer's.
final class ProsodyServer {
    let peer: PeerProcess
    let port: UInt16
    let folder: TemporaryDirectory

    init(chain: String, key: String, domains: [String]) throws {
        _ = try requireProgram("prosody", package: "prosody")
        _ = try requireProgram("setpriv", package: "util-linux")
        folder = try TemporaryDirectory(prefix: "danegate-h9-prosody")
        try run("chmod", ["755", folder.path]).check("chmod")
        port = try freeLoopbackPort()
        let s2sPort = try freeLoopbackPort()
        try FileManager.default.createDirectory(atPath: folder.file("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: chain, toPath: folder.file("chain.pem"))
        try FileManager.default.copyItem(atPath: key, toPath: folder.file("key.pem"))
        var configuration = """
            pidfile = "\(folder.file("prosody.pid"))"
            data_path = "\(folder.file("data"))"
            daemonize = false
            log = { { levels = { min = "info" }, to = "console" } }
            interfaces = { "127.0.0.1" }
            c2s_ports = { \(port) }
            c2s_direct_tls_ports = {}
            s2s_ports = { \(s2sPort) }
            modules_enabled = { "tls"; "saslauth"; "disco"; }
            modules_disabled = { "s2s" }
            c2s_require_encryption = true

            """
        for domain in domains {
            configuration += """
                VirtualHost "\(domain)"
                    ssl = { certificate = "\(folder.file("chain.pem"))"; key = "\(folder.file("key.pem"))"; }

                """
        }
        try folder.write("prosody.cfg.lua", configuration)
        try giveToUser(folder.path, "prosody")
        peer = try PeerProcess(
            "setpriv", ["--reuid=prosody", "--regid=prosody", "--init-groups", "prosody", "-F", "--config", folder.file("prosody.cfg.lua")],
            package: "util-linux")
        try peer.waitForLine(containing: "Activated service 'c2s' on [127.0.0.1]:\(port)", timeout: 20)
    }

    deinit {
        peer.kill()
    }
}

/// A tiny SMTP server (python3) that greets, answers EHLO without STARTTLS (`nostarttls`) or
/// with it and then sends bytes after its STARTTLS go-ahead (`inject`), or accepts and never
/// says a word (`silent`).
final class FakeSMTPServer {
    let peer: PeerProcess
    let port: UInt16

    static let script = """
        import socket, sys
        mode = sys.argv[1]
        server = socket.socket()
        server.bind(('127.0.0.1', 0))
        server.listen(8)
        print('PORT', server.getsockname()[1], flush=True)
        while True:
            connection, _ = server.accept()
            reader = connection.makefile('rb')
            if mode == 'silent':
                reader.read()
                connection.close()
                continue
            try:
                connection.sendall(b'220 fake.dane.test ESMTP\\r\\n')
                reader.readline()
                if mode == 'nostarttls':
                    connection.sendall(b'250-fake.dane.test\\r\\n250 PIPELINING\\r\\n')
                else:
                    connection.sendall(b'250-fake.dane.test\\r\\n250-PIPELINING\\r\\n250 STARTTLS\\r\\n')
                line = reader.readline()
                if mode == 'inject' and line.upper().startswith(b'STARTTLS'):
                    connection.sendall(b'220 2.0.0 go ahead\\r\\n250 injected reply\\r\\n')
                reader.read()
            except OSError:
                pass
            connection.close()
        """

    init(mode: String, folder: TemporaryDirectory) throws {
        try folder.write("fake-smtp.py", Self.script)
        peer = try PeerProcess("python3", [folder.file("fake-smtp.py"), mode], package: "python3")
        let groups = try peer.waitForMatch(#"PORT (\d+)"#)
        guard groups.count == 2, let port = UInt16(groups[1]) else {
            throw TestSupportError(.commandFailed, "no port from the fake SMTP server: \(peer.transcript)")
        }
        self.port = port
    }

    deinit {
        peer.kill()
    }
}

/// A tiny XMPP server (python3) that offers STARTTLS and answers `<starttls/>` with
/// `<proceed/>` followed by a stanza: response injection (DESIGN rule 2); or, in mode
/// "nostarttls", offers no STARTTLS at all (stripping, rule 6).
final class FakeXMPPServer {
    let peer: PeerProcess
    let port: UInt16

    static let script = """
        import socket, sys
        mode = sys.argv[1]
        server = socket.socket()
        server.bind(('127.0.0.1', 0))
        server.listen(8)
        print('PORT', server.getsockname()[1], flush=True)
        while True:
            connection, _ = server.accept()
            try:
                received = b''
                while b'<stream:stream' not in received or not received.endswith(b'>'):
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    received += chunk
                opening = (b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                           b"xmlns:stream='http://etherx.jabber.org/streams' id='1' version='1.0'>")
                if mode == 'nostarttls':
                    # Stripped: features without <starttls/> (DESIGN rule 6).
                    connection.sendall(opening + b"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                                       b"<mechanism>PLAIN</mechanism></mechanisms></stream:features>")
                    while connection.recv(4096):
                        pass
                    connection.close()
                    continue
                connection.sendall(opening + b"<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
                received = b''
                while b'starttls' not in received:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    received += chunk
                connection.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><message to='x'>injected</message>")
                while connection.recv(4096):
                    pass
            except OSError:
                pass
            connection.close()
        """

    /// `mode`: "inject" sends data after `<proceed/>`; "nostarttls" offers features without
    /// `<starttls/>`.
    init(mode: String = "inject", folder: TemporaryDirectory) throws {
        try folder.write("fake-xmpp.py", Self.script)
        peer = try PeerProcess("python3", [folder.file("fake-xmpp.py"), mode], package: "python3")
        let groups = try peer.waitForMatch(#"PORT (\d+)"#)
        guard groups.count == 2, let port = UInt16(groups[1]) else {
            throw TestSupportError(.commandFailed, "no port from the fake XMPP server: \(peer.transcript)")
        }
        self.port = port
    }

    deinit {
        peer.kill()
    }
}
